import { type FormEvent, useEffect, useState } from "react";
import { useClient } from "urql";
import type { ConsoleFlowTestQuery, FlowKind } from "../gql/graphql";
import { Problem } from "../Problem";
import { readFresh } from "../reads";
import { useFlowText } from "./messages";
import { FLOW_TEST } from "./operations";

interface Said {
  text: string;
  replyId?: string;
}

type Result = ConsoleFlowTestQuery["flowTest"];

/** The buttons or list rows of an interactive message's Graph API payload, for the tester to
 * tap as the customer would. */
export function repliesOf(payload: unknown): { id: string; title: string }[] {
  const interactive = (payload as { interactive?: { action?: Record<string, unknown> } } | null)?.interactive;
  const action = interactive?.action ?? {};
  const buttons = Array.isArray(action.buttons) ? action.buttons : [];
  const rows = Array.isArray(action.sections)
    ? action.sections.flatMap((section: { rows?: unknown }) => (Array.isArray(section.rows) ? section.rows : []))
    : [];
  return [
    ...buttons.map((button: { reply?: { id: string; title: string } }) => button.reply),
    ...rows,
  ].filter((reply): reply is { id: string; title: string } => !!reply && typeof reply.id === "string");
}

/** A dry run of the saved draft: the tester plays the customer, PyTake answers with each step
 * and the exact Graph API payloads it would send. Nothing is sent, called or stored. */
export function DryRun({
  flowId,
  kind,
  dirty,
  save,
  onNode,
}: {
  flowId: string;
  kind: FlowKind;
  dirty: boolean;
  save(): Promise<boolean>;
  onNode(nodeId: string): void;
}) {
  const { t } = useFlowText();
  const client = useClient();
  const [script, setScript] = useState<Said[]>([]);
  const [text, setText] = useState("");
  const [contact, setContact] = useState("Maria");
  const [windowOpen, setWindowOpen] = useState(true);
  const [result, setResult] = useState<Result | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [running, setRunning] = useState(false);

  async function run(next: Said[]) {
    setScript(next);
    if (next.length === 0 && kind !== "TEMPLATE") {
      setResult(null);
      return;
    }
    if (dirty && !(await save())) return;
    setRunning(true);
    const answer = await readFresh(client, FLOW_TEST, {
      id: flowId,
      input: { messages: next, contact: { name: contact }, windowOpen },
    });
    setRunning(false);
    setFailure(answer.error?.message ?? null);
    if (answer.data) setResult(answer.data.flowTest);
  }

  useEffect(() => {
    if (script.length) void run(script);
    // The same script again under the new conditions.
  }, [contact, windowOpen]);

  function say(event: FormEvent) {
    event.preventDefault();
    if (!text.trim()) return;
    void run([...script, { text: text.trim() }]);
    setText("");
  }

  const last = result?.transcript.filter((entry) => entry.sender === "BUSINESS").at(-1);
  const replies = last ? repliesOf(last.payload) : [];
  return (
    <section className="dry-run" aria-labelledby="dry-run-title" aria-busy={running}>
      <h2 id="dry-run-title">{t("test.title")}</h2>
      <p className="hint">{t("test.hint")}</p>
      <div className="dry-run__conditions">
        <label>
          {t("test.contact")}
          <input value={contact} onChange={(e) => setContact(e.target.value)} />
        </label>
        <label className="node-form__check">
          <input type="checkbox" checked={windowOpen} onChange={(e) => setWindowOpen(e.target.checked)} />{" "}
          {t("test.windowOpen")}
        </label>
      </div>
      <ol className="dry-run__transcript" aria-label={t("test.transcript")}>
        {result?.transcript.map((entry, index) => (
          <li key={index} className={`dry-run__entry dry-run__entry--${entry.sender.toLowerCase()}`}>
            {entry.text && <p>{entry.text}</p>}
            {entry.note && <p className="dry-run__note">{entry.note}</p>}
            {entry.nodeId && (
              <button type="button" className="link" onClick={() => onNode(entry.nodeId ?? "")}>
                {entry.nodeId}
              </button>
            )}
            {entry.payload != null && (
              <details>
                <summary>{t("test.payload")}</summary>
                <pre tabIndex={0}>{JSON.stringify(entry.payload, null, 2)}</pre>
              </details>
            )}
          </li>
        ))}
      </ol>
      {result && (
        <p className="dry-run__outcome" role="status">
          {result.sessionStatus ? t(`sessionStatus.${result.sessionStatus}`) : t("test.notStarted")}
          {result.problems.length > 0 && ` · ${t("test.problems", { count: result.problems.length })}`}
        </p>
      )}
      {replies.length > 0 && (
        <div className="dry-run__replies" role="group" aria-label={t("test.replies")}>
          {replies.map((reply) => (
            <button key={reply.id} type="button" onClick={() => void run([...script, { text: reply.title, replyId: reply.id }])}>
              {reply.title}
            </button>
          ))}
        </div>
      )}
      <form className="dry-run__say" onSubmit={say}>
        <label htmlFor="dry-run-message" className="visually-hidden">
          {t("test.message")}
        </label>
        <input id="dry-run-message" value={text} placeholder={t("test.message")} onChange={(e) => setText(e.target.value)} />
        <button type="submit" disabled={running}>
          {t("test.send")}
        </button>
        <button type="button" onClick={() => void run([])} disabled={script.length === 0}>
          {t("test.restart")}
        </button>
      </form>
      <Problem text={failure} />
    </section>
  );
}
