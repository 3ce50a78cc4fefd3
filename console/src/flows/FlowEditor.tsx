import {
  applyEdgeChanges,
  applyNodeChanges,
  Background,
  type Connection,
  Controls,
  type EdgeChange,
  MiniMap,
  type NodeChange,
  ReactFlow,
  useReactFlow,
} from "@xyflow/react";
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useClient, useMutation, useQuery } from "urql";
import type { FlowSummaryFragment } from "../gql/graphql";
import { Problem, reasonOf } from "../Problem";
import { readFresh } from "../reads";
import { toolbarMove } from "../toolbar";
import { CanvasContext, type CanvasInfo, NODE_COMPONENTS } from "./FlowNodeCard";
import { type Category, isNodeType, isTrigger, NODE_SPECS, NODE_TYPES, type NodeType, OUT } from "./catalog";
import {
  connect,
  copySelection,
  type FlowProblem,
  fromDocument,
  type Graph,
  History,
  layout,
  newNode,
  paste,
  toDocument,
  withoutLostWays,
} from "./document";
import { DryRun } from "./DryRun";
import { FlowActivity, FlowSettings, FlowVersions, type Settings } from "./FlowPanels";
import { useFlowText } from "./messages";
import { NodeForm } from "./NodeForm";
import { FLOW, FLOW_CATALOG, FLOW_PUBLISH, FLOW_ROLLBACK, FLOW_UPDATE, FLOW_VALIDATE } from "./operations";

const DRAG_TYPE = "application/x-pytake-node";
const CATEGORIES: readonly Category[] = ["trigger", "logic", "message", "input", "action"];
const PANELS = ["node", "test", "versions", "activity", "settings"] as const;
type Panel = (typeof PANELS)[number];

function stored(graph: Graph): string {
  return JSON.stringify(toDocument(graph));
}

function typing(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
}

/** The visual editor of one flow: its draft on a React Flow canvas, PyTake's validation on the
 * nodes it names, a dry run, versions and the flow's live sessions. */
export function FlowEditor({ flowId }: { flowId: string }) {
  const { t } = useFlowText();
  const client = useClient();
  const canvas = useReactFlow();
  const [{ data, error: loadError }] = useQuery({ query: FLOW, variables: { id: flowId }, requestPolicy: "network-only" });
  const [{ data: catalog }] = useQuery({ query: FLOW_CATALOG });
  const [, update] = useMutation(FLOW_UPDATE);
  const [, publishFlow] = useMutation(FLOW_PUBLISH);
  const [, rollBack] = useMutation(FLOW_ROLLBACK);

  const [graph, setGraph] = useState<Graph | null>(null);
  const [savedGraph, setSavedGraph] = useState("");
  const [flow, setFlow] = useState<FlowSummaryFragment | null>(null);
  const [versions, setVersions] = useState<{ version: number; publishedAt: string; publishedByUserId?: string | null }[]>([]);
  const [settings, setSettings] = useState<Settings | null>(null);
  const [problems, setProblems] = useState<FlowProblem[]>([]);
  const [panel, setPanel] = useState<Panel>("node");
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const history = useRef(new History());
  const lastEdit = useRef<string | null>(null);
  const clipboard = useRef<Graph | null>(null);
  const graphRef = useRef<Graph | null>(null);
  graphRef.current = graph;
  const [, forceHistoryRender] = useState(0);

  const validate = useCallback(async () => {
    const result = await readFresh(client, FLOW_VALIDATE, { id: flowId });
    if (result.data) setProblems(result.data.flowValidate);
  }, [client, flowId]);

  useEffect(() => {
    const loaded = data?.flow;
    if (!loaded || graphRef.current) return;
    const initial = fromDocument(loaded.graph);
    setGraph(initial);
    setSavedGraph(stored(initial));
    setFlow(loaded);
    setVersions(loaded.versions);
    setSettings({ name: loaded.name, numberIds: loaded.numberIds, expiryMinutes: loaded.expiryMinutes });
    void validate();
  }, [data, validate]);

  const settingsChanged =
    !!flow &&
    !!settings &&
    (settings.name !== flow.name ||
      settings.expiryMinutes !== flow.expiryMinutes ||
      [...settings.numberIds].sort().join() !== [...flow.numberIds].sort().join());
  const dirty = !!graph && (stored(graph) !== savedGraph || settingsChanged);

  useEffect(() => {
    if (!dirty) return undefined;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  /** Remember the graph as it was before a change, for undo. Edits of one field of one node
   * count as one change until something else is done. */
  const record = useCallback((edit: string | null = null) => {
    if (edit !== null && edit === lastEdit.current) return;
    lastEdit.current = edit;
    if (graphRef.current) history.current.record(graphRef.current);
    forceHistoryRender((n) => n + 1);
  }, []);

  const change = useCallback(
    (next: (graph: Graph) => Graph, edit: string | null = null) => {
      record(edit);
      setGraph((current) => (current ? withoutLostWays(next(current)) : current));
    },
    [record],
  );

  const save = useCallback(async (): Promise<boolean> => {
    const current = graphRef.current;
    if (!current || !settings) return false;
    setBusy(true);
    setFailure(null);
    const result = await update({
      input: {
        id: flowId,
        graph: toDocument(current, canvas.getViewport()),
        name: settings.name,
        numberIds: settings.numberIds,
        expiryMinutes: settings.expiryMinutes,
      },
    });
    setBusy(false);
    const payload = result.data?.flowUpdate;
    if (payload?.__typename !== "FlowSaveSuccess") {
      setFailure(reasonOf(payload, result.error));
      return false;
    }
    setSavedGraph(stored(current));
    setFlow(payload.flow);
    setNotice(t("editor.saved"));
    await validate();
    return true;
  }, [canvas, flowId, settings, t, update, validate]);

  async function publish() {
    if (dirty && !(await save())) return;
    setBusy(true);
    setFailure(null);
    const result = await publishFlow({ input: { id: flowId } });
    setBusy(false);
    const payload = result.data?.flowPublish;
    if (payload?.__typename === "FlowPublishSuccess") {
      setFlow(payload.flow);
      setVersions(payload.flow.versions);
      setProblems([]);
      setNotice(t("editor.published", { version: payload.flow.publishedVersion ?? 0 }));
    } else {
      if (payload?.__typename === "FlowInvalidError") setProblems(payload.problems);
      setFailure(reasonOf(payload, result.error));
    }
  }

  async function restore(version: number) {
    setBusy(true);
    setFailure(null);
    const result = await rollBack({ input: { id: flowId, version } });
    setBusy(false);
    const payload = result.data?.flowRollback;
    if (payload?.__typename === "FlowPublishSuccess") {
      const restored = fromDocument(payload.flow.graph);
      record();
      setGraph(restored);
      setSavedGraph(stored(restored));
      setFlow(payload.flow);
      setVersions(payload.flow.versions);
      setProblems([]);
      setNotice(t("editor.restored", { version, published: payload.flow.publishedVersion ?? 0 }));
    } else {
      if (payload?.__typename === "FlowInvalidError") setProblems(payload.problems);
      setFailure(reasonOf(payload, result.error));
    }
  }

  function undo() {
    const current = graphRef.current;
    const previous = current && history.current.undo(current);
    lastEdit.current = null;
    if (previous) setGraph(previous);
  }

  function redo() {
    const current = graphRef.current;
    const next = current && history.current.redo(current);
    lastEdit.current = null;
    if (next) setGraph(next);
  }

  /** A node dropped where it was dragged to or, added from the keyboard, below the lowest node
   * (in line with the selected one), brought into view. */
  function add(type: NodeType, position?: { x: number; y: number }) {
    const current = graphRef.current;
    if (!current) return;
    let at = position;
    if (!at) {
      const anchor = current.nodes.find((n) => n.selected) ?? current.nodes.at(-1);
      const lowest = Math.max(0, ...current.nodes.map((n) => n.position.y + (n.measured?.height ?? 100)));
      at = { x: anchor?.position.x ?? 0, y: current.nodes.length ? lowest + 60 : 0 };
      void canvas.setCenter(at.x + 120, at.y + 50, { zoom: canvas.getZoom(), duration: 200 });
    }
    const node = newNode(type, at, new Set(current.nodes.map((n) => n.id)));
    change((g) => ({ nodes: [...g.nodes.map((n) => ({ ...n, selected: false })), node], edges: g.edges }));
    setPanel("node");
  }

  function onDrop(event: DragEvent) {
    event.preventDefault();
    const type = event.dataTransfer.getData(DRAG_TYPE);
    if (isNodeType(type)) add(type, canvas.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  }

  const onNodesChange = useCallback(
    (changes: NodeChange<Graph["nodes"][number]>[]) => {
      if (changes.some((c) => c.type === "remove")) record();
      setGraph((g) => (g ? withoutLostWays({ nodes: applyNodeChanges(changes, g.nodes), edges: g.edges }) : g));
    },
    [record],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      if (changes.some((c) => c.type === "remove")) record();
      setGraph((g) => (g ? { nodes: g.nodes, edges: applyEdgeChanges(changes, g.edges) } : g));
    },
    [record],
  );

  const onConnect = useCallback(
    (connection: Connection) =>
      change((g) => connect(g, connection.source, connection.sourceHandle ?? OUT, connection.target)),
    [change],
  );

  function select(nodeId: string) {
    const node = graphRef.current?.nodes.find((n) => n.id === nodeId);
    if (!node) return;
    setGraph((g) => (g ? { nodes: g.nodes.map((n) => ({ ...n, selected: n.id === nodeId })), edges: g.edges } : g));
    setPanel("node");
    void canvas.setCenter(node.position.x + 120, node.position.y + 50, { zoom: canvas.getZoom(), duration: 200 });
  }

  // The editor's shortcuts work wherever the focus is on the page, the canvas included.
  function shortcut(event: KeyboardEvent) {
    const mod = event.ctrlKey || event.metaKey;
    if (!mod) return;
    const key = event.key.toLowerCase();
    if (key === "s") {
      event.preventDefault();
      void save();
      return;
    }
    if (typing(event.target)) return;
    const current = graphRef.current;
    if (key === "z" && !event.shiftKey) undo();
    else if (key === "y" || (key === "z" && event.shiftKey)) redo();
    else if (key === "c" && current) clipboard.current = copySelection(current);
    else if (key === "v" && clipboard.current) {
      const copied = clipboard.current;
      change((g) => paste(g, copied));
    } else return;
    event.preventDefault();
  }

  const shortcuts = useRef(shortcut);
  shortcuts.current = shortcut;
  useEffect(() => {
    const listener = (event: KeyboardEvent) => shortcuts.current(event);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const info = useMemo<CanvasInfo>(() => {
    const byNode = new Map<string, FlowProblem[]>();
    for (const problem of problems) {
      if (problem.nodeId) byNode.set(problem.nodeId, [...(byNode.get(problem.nodeId) ?? []), problem]);
    }
    const queues = new Map(catalog?.queues.map((q) => [q.id, q.name]) ?? []);
    return { problemsOf: (id) => byNode.get(id) ?? [], queueName: (id) => queues.get(id) ?? null };
  }, [problems, catalog]);

  const ariaLabels = useMemo(
    () => ({
      "controls.ariaLabel": t("canvas.controls"),
      "controls.zoomIn.ariaLabel": t("canvas.zoomIn"),
      "controls.zoomOut.ariaLabel": t("canvas.zoomOut"),
      "controls.fitView.ariaLabel": t("canvas.fit"),
      "controls.interactive.ariaLabel": t("canvas.lock"),
      "minimap.ariaLabel": t("canvas.minimap"),
    }),
    [t],
  );

  if (loadError) return <Problem text={loadError.message} />;
  if (data && !data.flow) return <p className="loading">{t("editor.missing")}</p>;
  if (!graph || !flow || !settings) return <p className="loading">{t("editor.loading")}</p>;

  const selected = graph.nodes.filter((node) => node.selected);
  const editing = selected.length === 1 ? selected[0] : undefined;
  const flowWide = problems.filter((problem) => !problem.nodeId);
  const archived = flow.status === "ARCHIVED";

  return (
    <div className="flow-editor">
      <header className="flow-editor__bar">
        <a href="#/flows">{t("editor.back")}</a>
        <h1>{flow.name}</h1>
        <span className="flow-editor__state" role="status">
          {t(`flowStatus.${flow.status}`)}
          {flow.publishedVersion !== null && ` · v${flow.publishedVersion}`}
          {" · "}
          {dirty ? t("editor.unsaved") : flow.hasUnpublishedChanges ? t("editor.draftSaved") : t("editor.upToDate")}
        </span>
        <div className="flow-editor__actions" role="toolbar" aria-label={t("editor.actions")}>
          <button type="button" onClick={undo} disabled={!history.current.canUndo} aria-keyshortcuts="Control+Z">
            {t("editor.undo")}
          </button>
          <button type="button" onClick={redo} disabled={!history.current.canRedo} aria-keyshortcuts="Control+Y">
            {t("editor.redo")}
          </button>
          <button
            type="button"
            onClick={() => {
              change(layout);
              window.requestAnimationFrame(() => void canvas.fitView({ duration: 200 }));
            }}
          >
            {t("editor.layout")}
          </button>
          <button type="button" onClick={() => void save()} disabled={busy || archived || !dirty} aria-keyshortcuts="Control+S">
            {t("editor.save")}
          </button>
          <button type="submit" onClick={() => void publish()} disabled={busy || archived}>
            {t("editor.publish")}
          </button>
        </div>
      </header>
      <div className="flow-editor__messages" aria-live="polite">
        <Problem text={failure} />
        {!failure && notice && <p className="notice">{notice}</p>}
        {flowWide.map((problem) => (
          <p key={problem.code + problem.message} className="problem">
            {problem.message}
          </p>
        ))}
      </div>
      <div className="flow-editor__body">
        <Palette onAdd={add} />
        <div
          className="flow-editor__canvas"
          onDragOver={(event) => {
            event.preventDefault();
            event.dataTransfer.dropEffect = "copy";
          }}
          onDrop={onDrop}
        >
          <CanvasContext.Provider value={info}>
            <ReactFlow
              nodes={graph.nodes}
              edges={graph.edges}
              nodeTypes={NODE_COMPONENTS}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeDragStart={() => record()}
              onNodeClick={() => setPanel("node")}
              isValidConnection={(connection) => {
                const target = graph.nodes.find((node) => node.id === connection.target);
                return !!target && connection.source !== connection.target && !(isNodeType(target.type) && isTrigger(target.type));
              }}
              deleteKeyCode={["Backspace", "Delete"]}
              ariaLabelConfig={ariaLabels}
              fitView
              fitViewOptions={{ maxZoom: 1 }}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} />
              <Controls />
              <MiniMap pannable zoomable />
            </ReactFlow>
          </CanvasContext.Provider>
        </div>
        <aside className="flow-editor__side">
          <SidePanels panel={panel} onPanel={setPanel} />
          <div className="flow-editor__panel" role="tabpanel" id={`flow-panel-${panel}`} aria-labelledby={`flow-tab-${panel}`}>
            {panel === "node" &&
              (editing ? (
                <NodeForm
                  key={editing.id}
                  node={editing}
                  graph={graph}
                  catalog={catalog ?? null}
                  problems={info.problemsOf(editing.id)}
                  onData={(key, value) =>
                    change(
                      (g) => ({
                        nodes: g.nodes.map((n) => (n.id === editing.id ? { ...n, data: { ...n.data, [key]: value } } : n)),
                        edges: g.edges,
                      }),
                      `${editing.id}:${key}`,
                    )
                  }
                  onWay={(handle, target) => change((g) => connect(g, editing.id, handle, target))}
                  onDelete={() => change((g) => ({ nodes: g.nodes.filter((n) => n.id !== editing.id), edges: g.edges }))}
                />
              ) : (
                <p className="hint">{selected.length > 1 ? t("editor.several", { count: selected.length }) : t("editor.pick")}</p>
              ))}
            {panel === "test" && <DryRun flowId={flowId} kind={flow.kind} dirty={dirty} save={save} onNode={select} />}
            {panel === "versions" && (
              <FlowVersions
                versions={versions}
                current={flow.publishedVersion ?? null}
                users={catalog?.organization.users.edges.map((edge) => edge.node) ?? []}
                busy={busy || archived}
                onRestore={(version) => void restore(version)}
              />
            )}
            {panel === "activity" && <FlowActivity flowId={flowId} onNode={select} />}
            {panel === "settings" && (
              <FlowSettings
                settings={settings}
                kind={flow.kind}
                numbers={catalog?.whatsappNumbers ?? []}
                onChange={setSettings}
              />
            )}
          </div>
          {problems.length > 0 && (
            <section className="flow-problems" aria-labelledby="flow-problems-title">
              <h2 id="flow-problems-title">{t("editor.problems", { count: problems.length })}</h2>
              <ul>
                {problems.map((problem, index) => (
                  <li key={index}>
                    {problem.nodeId ? (
                      <button type="button" className="link" onClick={() => select(problem.nodeId ?? "")}>
                        {problem.nodeId}
                      </button>
                    ) : null}{" "}
                    {problem.message}
                  </li>
                ))}
              </ul>
            </section>
          )}
        </aside>
      </div>
    </div>
  );
}

/** Every node type, to drag onto the canvas or, from the keyboard, to add at its centre. */
function Palette({ onAdd }: { onAdd: (type: NodeType) => void }) {
  const { t } = useFlowText();
  return (
    <nav className="flow-palette" aria-label={t("palette.title")}>
      {CATEGORIES.map((category) => (
        <section key={category} aria-labelledby={`palette-${category}`}>
          <h2 id={`palette-${category}`}>{t(`category.${category}`)}</h2>
          {NODE_TYPES.filter((type) => NODE_SPECS[type].category === category).map((type) => (
            <button
              key={type}
              type="button"
              draggable
              className={`flow-palette__item flow-palette__item--${category}`}
              data-node-type={type}
              title={t("palette.hint")}
              onDragStart={(event) => {
                event.dataTransfer.setData(DRAG_TYPE, type);
                event.dataTransfer.effectAllowed = "copy";
              }}
              onClick={() => onAdd(type)}
            >
              {t(`node.${type}`)}
            </button>
          ))}
        </section>
      ))}
    </nav>
  );
}

function SidePanels({ panel, onPanel }: { panel: Panel; onPanel: (panel: Panel) => void }) {
  const { t } = useFlowText();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  return (
    <div
      className="flow-tabs"
      role="tablist"
      aria-label={t("editor.panels")}
      onKeyDown={(event) => {
        const next = toolbarMove(event.key, PANELS.indexOf(panel), PANELS.length);
        if (next === null) return;
        event.preventDefault();
        onPanel(PANELS[next] ?? panel);
        tabs.current[next]?.focus();
      }}
    >
      {PANELS.map((name, index) => (
        <button
          key={name}
          ref={(element) => {
            tabs.current[index] = element;
          }}
          type="button"
          role="tab"
          id={`flow-tab-${name}`}
          aria-selected={panel === name}
          aria-controls={`flow-panel-${name}`}
          tabIndex={panel === name ? 0 : -1}
          onClick={() => onPanel(name)}
        >
          {t(`panel.${name}`)}
        </button>
      ))}
    </div>
  );
}
