import { describe, expect, it } from "vitest";
import { checkField, NODE_SPECS, NODE_TYPES, waysOf } from "./catalog";
import { repliesOf } from "./DryRun";
import { connect, copySelection, fromDocument, type Graph, History, layout, paste, toDocument, withoutLostWays } from "./document";

// A flow as PyTake's API takes it: the single way on of a node is a null sourceHandle.
const MENU = {
  nodes: [
    { id: "start", type: "trigger_keyword", position: { x: 0, y: 0 }, data: { keywords: ["menu"] } },
    {
      id: "menu",
      type: "msg_interactive",
      position: { x: 0, y: 150 },
      data: { body: "What do you need?", choices: [{ id: "orders", title: "Orders" }, { id: "human", title: "A person" }] },
    },
    { id: "thanks", type: "msg_text", position: { x: 0, y: 300 }, data: { text: "Thanks" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "menu", sourceHandle: null },
    { id: "e2", source: "menu", target: "thanks", sourceHandle: "orders" },
  ],
};

describe("the flow document", () => {
  it("is written back as it was read, so editor and API flows are the same", () => {
    expect(toDocument(fromDocument(MENU))).toEqual(MENU);
  });

  it("keeps a node of a type it does not know rather than dropping it on save", () => {
    const document = { nodes: [{ id: "x", type: "msg_hologram", position: { x: 1, y: 2 }, data: { a: 1 } }], edges: [] };
    expect(toDocument(fromDocument(document)).nodes).toEqual(document.nodes);
  });

  it("drops the edges of a removed choice or a deleted node", () => {
    const graph = fromDocument(MENU);
    const withoutOrders: Graph = {
      nodes: graph.nodes.map((n) =>
        n.id === "menu" ? { ...n, data: { ...n.data, choices: [{ id: "human", title: "A person" }] } } : n,
      ),
      edges: graph.edges,
    };
    expect(withoutLostWays(withoutOrders).edges.map((e) => e.id)).toEqual(["e1"]);
    const withoutMenu = { nodes: graph.nodes.filter((n) => n.id !== "menu"), edges: graph.edges };
    expect(withoutLostWays(withoutMenu).edges).toEqual([]);
  });

  it("leads a way out to one node: connecting it again replaces its edge", () => {
    const graph = connect(fromDocument(MENU), "menu", "orders", "start");
    const rewired = connect(graph, "menu", "orders", "thanks");
    expect(rewired.edges.filter((e) => e.source === "menu").map((e) => e.target)).toEqual(["thanks"]);
    expect(connect(rewired, "menu", "orders", null).edges.some((e) => e.source === "menu")).toBe(false);
  });
});

describe("undo and redo", () => {
  it("walk back and forth through recorded graphs, and a new change drops the redo", () => {
    const history = new History();
    const first = fromDocument(MENU);
    const second = connect(first, "menu", "human", "thanks");
    history.record(first);
    expect(history.undo(second)).toBe(first);
    expect(history.redo(first)).toBe(second);
    history.record(second);
    expect(history.canRedo).toBe(false);
    expect(history.canUndo).toBe(true);
  });
});

describe("copy and paste", () => {
  it("pastes the selected nodes and the edges between them with ids of their own", () => {
    const graph = fromDocument(MENU);
    graph.nodes = graph.nodes.map((n) => ({ ...n, selected: n.id !== "start" }));
    const copied = copySelection(graph);
    expect(copied?.edges.map((e) => e.id)).toEqual(["e2"]);
    const pasted = paste(graph, copied as Graph);
    const added = pasted.nodes.slice(3);
    expect(added.map((n) => n.id)).toEqual(["interactive_1", "text_1"]);
    expect(added.every((n) => n.selected)).toBe(true);
    expect(pasted.edges.at(-1)).toMatchObject({ source: "interactive_1", target: "text_1", sourceHandle: "orders" });
    expect(added[0]?.position).toEqual({ x: 40, y: 190 });
  });
});

describe("auto-layout", () => {
  it("puts each node below the one it comes from", () => {
    const graph = fromDocument({ ...MENU, nodes: MENU.nodes.map((n) => ({ ...n, position: { x: 0, y: 0 } })) });
    const y = new Map(layout(graph).nodes.map((n) => [n.id, n.position.y]));
    expect(y.get("start")).toBeLessThan(y.get("menu") ?? 0);
    expect(y.get("menu")).toBeLessThan(y.get("thanks") ?? 0);
  });
});

describe("the node catalog", () => {
  it("names the ways out as PyTake's engine does", () => {
    expect(waysOf("msg_interactive", MENU.nodes[1]?.data ?? {}).map((w) => w.id)).toEqual(["orders", "human", "other"]);
    expect(waysOf("input_question", {}).map((w) => w.id)).toEqual(["out", "invalid", "timeout"]);
    expect(waysOf("trigger_template", { payloads: ["yes", "no"] }).map((w) => w.id)).toEqual(["out", "yes", "no"]);
    expect(waysOf("action_end", {})).toEqual([]);
    expect(waysOf("logic_intent", { intents: ["status_pedido", "cancelamento"] }).map((w) => w.id)).toEqual([
      "status_pedido",
      "cancelamento",
      "unsure",
    ]);
  });

  it("gives every node type defaults its own form accepts, except where a value must be chosen", () => {
    for (const type of NODE_TYPES) {
      const spec = NODE_SPECS[type];
      const refused = spec.fields.filter((field) => checkField(field, spec.defaults[field.key]) !== null);
      const mustChoose = refused.filter((field) => !["text", "list", "queue", "template"].includes(field.kind));
      expect(mustChoose, type).toEqual([]);
    }
  });

  it("checks values as they are typed", () => {
    const variable = { key: "variable", kind: "text", required: true, check: "variable" } as const;
    expect(checkField(variable, "")).toEqual({ key: "check.required" });
    expect(checkField(variable, "2fast")).toEqual({ key: "check.variable" });
    expect(checkField(variable, "order_id")).toBeNull();
    const priority = { key: "priority", kind: "integer", min: 0, max: 2 } as const;
    expect(checkField(priority, 3)).toEqual({ key: "check.range", min: 0, max: 2 });
    expect(checkField(priority, 1.5)).toEqual({ key: "check.range", min: 0, max: 2 });
    const weekly = { key: "weekly", kind: "weekly" } as const;
    expect(checkField(weekly, { monday: [["09:00", "18:00"]] })).toBeNull();
    expect(checkField(weekly, { friday: [["18:00", "09:00"]] })).toEqual({ key: "check.interval", day: "friday" });
    expect(checkField({ key: "choices", kind: "choices" }, [{ id: "a", title: "A" }, { id: "a", title: "B" }])).toEqual({
      key: "check.uniqueChoices",
    });
  });
});

describe("the dry run's quick replies", () => {
  it("are the buttons or list rows of the interactive payload", () => {
    const buttons = { interactive: { action: { buttons: [{ type: "reply", reply: { id: "yes", title: "Yes" } }] } } };
    const list = { interactive: { action: { button: "See", sections: [{ rows: [{ id: "r1", title: "Row" }] }] } } };
    expect(repliesOf(buttons)).toEqual([{ id: "yes", title: "Yes" }]);
    expect(repliesOf(list)).toEqual([{ id: "r1", title: "Row" }]);
    expect(repliesOf({ type: "text" })).toEqual([]);
  });
});
