// The flows pages, loaded only when opened: React Flow and the editor stay out of the inbox's
// bundle.
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import "./flows.css";
import { FlowEditor } from "./FlowEditor";
import { FlowList } from "./FlowList";

export default function FlowsPage({ selected }: { selected: string | null }) {
  if (!selected) return <FlowList />;
  return (
    <ReactFlowProvider key={selected}>
      <FlowEditor flowId={selected} />
    </ReactFlowProvider>
  );
}
