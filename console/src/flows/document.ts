// The flow document PyTake stores ({nodes, edges} as React Flow saves them) and what the editor
// does to it: read, write, undo and redo, copy and paste, lay out.
import dagre from "@dagrejs/dagre";
import type { Edge, Node } from "@xyflow/react";
import { isNodeType, NODE_SPECS, type NodeData, type NodeType, OUT, waysOf } from "./catalog";

export type EditorNode = Node<NodeData, NodeType>;
export type EditorEdge = Edge;

/** A problem PyTake's validation found, with the node it names. */
export interface FlowProblem {
  code: string;
  message: string;
  nodeId?: string | null;
}

export interface Graph {
  nodes: EditorNode[];
  edges: EditorEdge[];
}

interface StoredNode {
  id: string;
  type: NodeType;
  position: { x: number; y: number };
  data: NodeData;
}

interface StoredEdge {
  id: string;
  source: string;
  target: string;
  sourceHandle: string | null;
}

export interface StoredDocument {
  nodes: StoredNode[];
  edges: StoredEdge[];
  viewport?: { x: number; y: number; zoom: number };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

/** The editor's graph from PyTake's document. A node of a type this console does not know is
 * kept as it is (PyTake names it in its validation) rather than dropped on the next save. */
export function fromDocument(document: unknown): Graph {
  const stored = record(document);
  const rawNodes = Array.isArray(stored.nodes) ? stored.nodes : [];
  const rawEdges = Array.isArray(stored.edges) ? stored.edges : [];
  const nodes: EditorNode[] = rawNodes.map((raw, index) => {
    const node = record(raw);
    const position = record(node.position);
    return {
      id: typeof node.id === "string" && node.id ? node.id : `node-${index + 1}`,
      type: (isNodeType(node.type) ? node.type : String(node.type)) as NodeType,
      position: {
        x: typeof position.x === "number" ? position.x : 0,
        y: typeof position.y === "number" ? position.y : index * 120,
      },
      data: { ...record(node.data) },
    };
  });
  const edges: EditorEdge[] = rawEdges.map((raw, index) => {
    const edge = record(raw);
    const handle = typeof edge.sourceHandle === "string" && edge.sourceHandle ? edge.sourceHandle : OUT;
    return {
      id: typeof edge.id === "string" && edge.id ? edge.id : `edge-${index + 1}`,
      source: String(edge.source),
      target: String(edge.target),
      sourceHandle: handle,
    };
  });
  return { nodes, edges };
}

/** PyTake's document from the editor's graph: only what PyTake reads, nothing of the canvas
 * (selection, sizes), so saving an untouched flow writes back what was read. */
export function toDocument(graph: Graph, viewport?: StoredDocument["viewport"]): StoredDocument {
  return {
    nodes: graph.nodes.map((node) => ({
      id: node.id,
      type: node.type,
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
      data: node.data,
    })),
    edges: graph.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      sourceHandle: !edge.sourceHandle || edge.sourceHandle === OUT ? null : edge.sourceHandle,
    })),
    ...(viewport ? { viewport } : {}),
  };
}

/** A node id unused in the graph: the type's name and a number, readable in problems. */
export function freshId(type: string, taken: ReadonlySet<string>): string {
  const base = type.replace(/^(trigger|logic|msg|input|action)_/, "");
  for (let n = 1; ; n += 1) {
    const id = `${base}_${n}`;
    if (!taken.has(id)) return id;
  }
}

export function newNode(type: NodeType, position: { x: number; y: number }, taken: ReadonlySet<string>): EditorNode {
  return {
    id: freshId(type, taken),
    type,
    position,
    data: structuredClone(NODE_SPECS[type].defaults),
    selected: true,
  };
}

/** Edges whose way out or whose target no longer exists (a choice removed, a node deleted)
 * go with it. */
export function withoutLostWays(graph: Graph): Graph {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  return {
    nodes: graph.nodes,
    edges: graph.edges.filter((edge) => {
      const source = byId.get(edge.source);
      if (!source || !byId.has(edge.target)) return false;
      if (!isNodeType(source.type)) return true;
      return waysOf(source.type, source.data).some((way) => way.id === (edge.sourceHandle ?? OUT));
    }),
  };
}

/** Connect a way out to a node: a way leads to one node, so a new edge replaces the old one. */
export function connect(graph: Graph, source: string, handle: string, target: string | null): Graph {
  const kept = graph.edges.filter((edge) => !(edge.source === source && (edge.sourceHandle ?? OUT) === handle));
  if (target === null || target === source) return { nodes: graph.nodes, edges: kept };
  return {
    nodes: graph.nodes,
    edges: [...kept, { id: `${source}-${handle}-${target}`, source, target, sourceHandle: handle }],
  };
}

/** Undo and redo over whole graphs: a flow has tens of nodes, so snapshots are cheap and
 * cannot drift from the graph the way recorded inverse operations can. */
export class History {
  private past: Graph[] = [];
  private future: Graph[] = [];

  constructor(private readonly limit = 100) {}

  record(before: Graph): void {
    this.past.push(before);
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  undo(current: Graph): Graph | null {
    const previous = this.past.pop();
    if (!previous) return null;
    this.future.push(current);
    return previous;
  }

  redo(current: Graph): Graph | null {
    const next = this.future.pop();
    if (!next) return null;
    this.past.push(current);
    return next;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }
}

/** The selected nodes and the edges between them, as copied. */
export function copySelection(graph: Graph): Graph | null {
  const nodes = graph.nodes.filter((node) => node.selected);
  if (nodes.length === 0) return null;
  const ids = new Set(nodes.map((node) => node.id));
  return {
    nodes: structuredClone(nodes),
    edges: structuredClone(graph.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target))),
  };
}

/** A copy pasted beside its original with ids of its own; the pasted nodes become the
 * selection. A second trigger is pasted all the same: validation says what to do about it. */
export function paste(graph: Graph, copied: Graph, offset = 40): Graph {
  const taken = new Set(graph.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  const nodes = copied.nodes.map((node) => {
    const id = freshId(node.type, taken);
    taken.add(id);
    renamed.set(node.id, id);
    return {
      ...structuredClone(node),
      id,
      position: { x: node.position.x + offset, y: node.position.y + offset },
      selected: true,
    };
  });
  const edges = copied.edges.map((edge) => {
    const source = renamed.get(edge.source) ?? edge.source;
    const target = renamed.get(edge.target) ?? edge.target;
    return { ...edge, id: `${source}-${edge.sourceHandle ?? OUT}-${target}`, source, target };
  });
  return {
    nodes: [...graph.nodes.map((node) => ({ ...node, selected: false })), ...nodes],
    edges: [...graph.edges, ...edges],
  };
}

const NODE_WIDTH = 240;
const NODE_HEIGHT = 110;

/** Top to bottom in layers, each way out beside its siblings (dagre's layered layout). */
export function layout(graph: Graph): Graph {
  const layered = new dagre.graphlib.Graph();
  layered.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 70 });
  layered.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) {
    layered.setNode(node.id, {
      width: node.measured?.width ?? NODE_WIDTH,
      height: node.measured?.height ?? NODE_HEIGHT,
    });
  }
  for (const edge of graph.edges) layered.setEdge(edge.source, edge.target);
  dagre.layout(layered);
  return {
    nodes: graph.nodes.map((node) => {
      const placed = layered.node(node.id);
      const width = node.measured?.width ?? NODE_WIDTH;
      const height = node.measured?.height ?? NODE_HEIGHT;
      return { ...node, position: { x: Math.round(placed.x - width / 2), y: Math.round(placed.y - height / 2) } };
    }),
    edges: graph.edges,
  };
}
