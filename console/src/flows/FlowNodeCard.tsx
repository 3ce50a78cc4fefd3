import { Handle, type NodeProps, type NodeTypes, Position } from "@xyflow/react";
import { createContext, memo, useContext } from "react";
import { isNodeType, isTrigger, NODE_SPECS, NODE_TYPES, summaryOf, waysOf } from "./catalog";
import type { EditorNode, FlowProblem } from "./document";
import { useFlowText } from "./messages";

export interface CanvasInfo {
  problemsOf(nodeId: string): FlowProblem[];
  queueName(queueId: string): string | null;
}

export const CanvasContext = createContext<CanvasInfo>({ problemsOf: () => [], queueName: () => null });

/** A node on the canvas: its type, id and settings in a line, PyTake's problems with it, and a
 * handle for each way out, named. */
const FlowNodeCard = memo(function FlowNodeCard({ id, type, data }: NodeProps<EditorNode>) {
  const { t, way } = useFlowText();
  const { problemsOf, queueName } = useContext(CanvasContext);
  const problems = problemsOf(id);
  const known = isNodeType(type);
  const summary = !known
    ? ""
    : type === "action_transfer_to_queue"
      ? (queueName(String(data.queueId ?? "")) ?? "")
      : summaryOf(type, data);
  return (
    <div
      className={`flow-node flow-node--${known ? NODE_SPECS[type].category : "unknown"}`}
      data-invalid={problems.length > 0 || undefined}
    >
      {(!known || !isTrigger(type)) && <Handle type="target" position={Position.Top} />}
      <div className="flow-node__type">{known ? t(`node.${type}`) : type}</div>
      <div className="flow-node__id">{id}</div>
      {summary && <div className="flow-node__summary">{summary}</div>}
      {problems.length > 0 && (
        <ul className="flow-node__problems">
          {problems.map((problem, index) => (
            <li key={index}>{problem.message}</li>
          ))}
        </ul>
      )}
      {known && (
        <div className="flow-node__ways">
          {waysOf(type, data).map((out) => (
            <div className="flow-node__way" key={out.id}>
              {out.title ?? way(out.id)}
              <Handle type="source" position={Position.Bottom} id={out.id} />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

export const NODE_COMPONENTS: NodeTypes = Object.fromEntries(NODE_TYPES.map((type) => [type, FlowNodeCard]));
