import { type FormEvent, useState } from "react";
import { useClient, useMutation, useQuery } from "urql";
import { Problem, reasonOf } from "../Problem";
import { readFresh } from "../reads";
import { type FlowKind, TRIGGER_OF_KIND } from "./catalog";
import { toDocument } from "./document";
import { useFlowText } from "./messages";
import { FLOW_CATALOG, FLOW_CREATE, FLOW_LIBRARY, FLOWS } from "./operations";

const KINDS: readonly FlowKind[] = ["KEYWORD", "UNIVERSAL", "TEMPLATE"];

/** The organization's flows, a new one from nothing, or one of PyTake's ready-made flows. */
export function FlowList() {
  const { t, dateTime } = useFlowText();
  const [{ data }] = useQuery({ query: FLOWS, variables: { first: 100 }, requestPolicy: "cache-and-network" });
  const flows = data?.flows.edges.map((edge) => edge.node) ?? [];
  return (
    <main className="flows-page">
      <h1>{t("flows.title")}</h1>
      {data && flows.length === 0 && <p>{t("flows.none")}</p>}
      {flows.length > 0 && (
        <table className="flows-table">
          <thead>
            <tr>
              <th scope="col">{t("flows.name")}</th>
              <th scope="col">{t("flows.kind")}</th>
              <th scope="col">{t("flows.status")}</th>
              <th scope="col">{t("flows.updated")}</th>
            </tr>
          </thead>
          <tbody>
            {flows.map((flow) => (
              <tr key={flow.id}>
                <td>
                  <a href={`#/flows/${flow.id}`}>{flow.name}</a>
                </td>
                <td>{t(`kind.${flow.kind}`)}</td>
                <td>
                  {t(`flowStatus.${flow.status}`)}
                  {flow.publishedVersion !== null && ` · v${flow.publishedVersion}`}
                  {flow.hasUnpublishedChanges && flow.status === "PUBLISHED" && ` · ${t("flows.unpublished")}`}
                </td>
                <td>{dateTime(flow.updatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <NewFlow />
      <ReadyMade />
    </main>
  );
}

/** Creates a flow on every connected number and opens it in the editor. */
function useStarter() {
  const client = useClient();
  const [, create] = useMutation(FLOW_CREATE);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function start(name: string, kind: FlowKind, graph: unknown) {
    setBusy(true);
    setProblem(null);
    // Read when asked, not from a query that may still be on its way.
    const catalog = await readFresh(client, FLOW_CATALOG, {});
    const numberIds = catalog.data?.whatsappNumbers.map((number) => number.id) ?? [];
    const result = await create({ input: { name, kind, graph, numberIds } });
    setBusy(false);
    const payload = result.data?.flowCreate;
    if (payload?.__typename === "FlowSaveSuccess") window.location.hash = `#/flows/${payload.flow.id}`;
    else setProblem(reasonOf(payload, result.error));
  }
  return { start, problem, busy };
}

function NewFlow() {
  const { t } = useFlowText();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<FlowKind>("KEYWORD");
  const { start, problem, busy } = useStarter();
  function submit(event: FormEvent) {
    event.preventDefault();
    const trigger = TRIGGER_OF_KIND[kind];
    const graph = toDocument({
      nodes: [{ id: "start", type: trigger, position: { x: 0, y: 0 }, data: {} }],
      edges: [],
    });
    void start(name, kind, graph);
  }
  return (
    <section className="flows-new" aria-labelledby="flows-new-title">
      <h2 id="flows-new-title">{t("flows.new")}</h2>
      <form onSubmit={submit}>
        <label>
          {t("flows.name")}
          <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={200} />
        </label>
        <label>
          {t("flows.kind")}
          <select value={kind} onChange={(e) => setKind(e.target.value as FlowKind)}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={busy}>
          {t("flows.create")}
        </button>
      </form>
      <p className="hint">{t("flows.numbersHint")}</p>
      <Problem text={problem} />
    </section>
  );
}

function ReadyMade() {
  const { t } = useFlowText();
  const [{ data }] = useQuery({ query: FLOW_LIBRARY });
  const { start, problem, busy } = useStarter();
  if (!data) return null;
  return (
    <section className="flows-library" aria-labelledby="flows-library-title">
      <h2 id="flows-library-title">{t("flows.library")}</h2>
      <Problem text={problem} />
      <ul>
        {data.flowLibrary.map((entry) => (
          <li key={entry.key}>
            <h3>{entry.name}</h3>
            <p className="badge">
              {entry.segments.length ? entry.segments.map((s) => t(`segment.${s}`)).join(", ") : t("segment.ANY")}
            </p>
            <p>{entry.description}</p>
            <button
              type="button"
              disabled={busy}
              aria-label={t("flows.useNamed", { name: entry.name })}
              onClick={() => void start(entry.name, entry.kind, entry.graph)}
            >
              {t("flows.use")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
