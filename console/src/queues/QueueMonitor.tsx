import { type FormEvent, type ReactNode, useEffect, useMemo, useState } from "react";
import { type CombinedError, useClient, useMutation } from "urql";
import { customerName } from "../contacts";
import { useCoalesced, useLive } from "../context";
import type {
  ConsoleQueueDashboardQuery,
  ConsoleQueueMonitorQuery,
  MonitorItemFragment,
} from "../gql/graphql";
import { useI18n } from "../i18n";
import { Problem } from "../Problem";
import {
  AGENT_STATUS_CHANGES,
  QUEUE_DASHBOARD,
  QUEUE_ITEM_ABANDON,
  QUEUE_ITEM_ASSIGN,
  QUEUE_ITEM_COMPLETE,
  QUEUE_ITEM_TRANSFER,
  QUEUE_MONITOR,
  QUEUE_UPDATES,
} from "../operations";
import { freshReader, readFresh } from "../reads";
import {
  assignableAgents,
  clock,
  decodeDestination,
  encodeDestination,
  type MonitorAgent,
  since,
} from "./monitor";

type Entry = ConsoleQueueDashboardQuery["queueDashboard"][number];
type Monitor = ConsoleQueueMonitorQuery["queueMonitor"];

/** Ticks once a second, for the wait and handling clocks. */
function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function QueueMonitor({ selected }: { selected: string | null }) {
  const { t } = useI18n();
  const client = useClient();
  const [dashboard, setDashboard] = useState<Entry[] | null>(null);
  const readDashboard = useMemo(
    () =>
      freshReader(async () => {
        const result = await readFresh(client, QUEUE_DASHBOARD, {});
        if (result.data) setDashboard(result.data.queueDashboard);
      }),
    [client],
  );
  useEffect(() => {
    void readDashboard();
  }, [readDashboard]);
  const dashboardChanged = useCoalesced(() => void readDashboard(), 150);
  useLive(AGENT_STATUS_CHANGES, {}, "agentStatusChanged", {
    event: dashboardChanged,
    gap: dashboardChanged,
  }, "agent-statuses");

  if (!dashboard) return <p className="loading">{t("inbox.loading")}</p>;
  if (dashboard.length === 0) {
    return (
      <main className="queues">
        <p className="queues__empty">{t("queues.none")}</p>
      </main>
    );
  }
  const current = dashboard.find((entry) => entry.queue.id === selected) ?? dashboard[0]!;
  return (
    <main className="queues">
      <nav className="queues__list" aria-label={t("queues.title")}>
        <ul>
          {dashboard.map((entry) => (
            <li key={entry.queue.id}>
              <a
                href={`#/queues/${entry.queue.id}`}
                aria-current={entry.queue.id === current.queue.id ? "page" : undefined}
              >
                <span>{entry.queue.name}</span>
                <span className="queues__waiting">{t("queues.waitingCount", { count: entry.waiting })}</span>
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <QueueBoard
        key={current.queue.id}
        entry={current}
        queues={dashboard.map((e) => e.queue)}
        onChange={dashboardChanged}
      />
    </main>
  );
}

function QueueBoard({
  entry,
  queues,
  onChange,
}: {
  entry: Entry;
  queues: Entry["queue"][];
  onChange: () => void;
}) {
  const { t } = useI18n();
  const client = useClient();
  const now = useNow();
  const queueId = entry.queue.id;
  const [monitor, setMonitor] = useState<Monitor | null>(null);
  const read = useMemo(
    () =>
      freshReader(async () => {
        const result = await readFresh(client, QUEUE_MONITOR, { queueId });
        if (result.data) setMonitor(result.data.queueMonitor);
      }),
    [client, queueId],
  );
  useEffect(() => {
    void read();
  }, [read]);
  const changed = useCoalesced(() => {
    void read();
    onChange();
  });
  useLive(QUEUE_UPDATES, { queueId }, "queueUpdated", { event: changed, gap: changed }, `queue-${queueId}`);

  const agents: MonitorAgent[] = entry.agents;
  const names = new Map(agents.map((a) => [a.user.id, a.user.name]));
  const agentName = (id: string | null | undefined) => (id ? (names.get(id) ?? t("queues.someone")) : "");
  const today = entry.today;
  const percent = (share: number | null | undefined) =>
    share === null || share === undefined ? "—" : `${Math.round(share * 100)}%`;

  return (
    <section className="queue-board" aria-labelledby="queue-board-title">
      <header className="queue-board__header">
        <h1 id="queue-board-title">{entry.queue.name}</h1>
        <dl className="figures">
          <div><dt>{t("queues.figures.waiting")}</dt><dd data-figure="waiting">{entry.waiting}</dd></div>
          <div>
            <dt>{t("queues.figures.longestWait")}</dt>
            <dd>{entry.longestWaitSeconds === null || entry.longestWaitSeconds === undefined ? "—" : clock(entry.longestWaitSeconds)}</dd>
          </div>
          <div><dt>{t("queues.figures.entries")}</dt><dd>{today.entries}</dd></div>
          <div><dt>{t("queues.figures.assigned")}</dt><dd>{today.assigned}</dd></div>
          <div><dt>{t("queues.figures.gaveUp")}</dt><dd>{today.gaveUp}</dd></div>
          <div>
            <dt>{t("queues.figures.averageWait")}</dt>
            <dd>{today.averageWaitSeconds === null || today.averageWaitSeconds === undefined ? "—" : clock(today.averageWaitSeconds)}</dd>
          </div>
          <div>
            <dt>{t("queues.figures.inTarget", { seconds: entry.queue.targetAnswerSeconds })}</dt>
            <dd>{percent(today.answeredInTarget)}</dd>
          </div>
        </dl>
      </header>
      <section className="queue-agents" aria-labelledby="queue-agents-title">
        <h2 id="queue-agents-title">{t("queues.agents")}</h2>
        {agents.length === 0 ? (
          <p>{t("queues.noAgents")}</p>
        ) : (
          <ul>
            {agents.map((agent) => (
              <li key={agent.user.id} className="queue-agent" data-status={agent.status}>
                <span className="queue-agent__name">{agent.user.name}</span>
                <span className={`badge badge--${agent.status.toLowerCase()}`}>{t(`status.${agent.status}`)}</span>
                <span className="queue-agent__load">
                  {t("queues.load", { load: agent.load, capacity: agent.capacity })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {!monitor ? (
        <p className="loading">{t("inbox.loading")}</p>
      ) : (
        <div className="queue-columns">
          <Column title={t("queues.column.waiting")} count={monitor.waiting.length} name="waiting">
            {monitor.waiting.map((item) => (
              <ItemCard key={item.id} item={item}>
                <p className="item-card__facts">
                  <span>{t("queues.position", { position: item.position ?? "—" })}</span>
                  <Priority value={item.priority} />
                  <span>{t("queues.waited", { time: since(item.enteredAt, now) })}</span>
                </p>
                <ItemActions item={item} agents={agents} queues={queues} currentQueueId={queueId} after={changed} />
              </ItemCard>
            ))}
          </Column>
          <Column title={t("queues.column.serving")} count={monitor.serving.length} name="serving">
            {monitor.serving.map((item) => (
              <ItemCard key={item.id} item={item}>
                <p className="item-card__facts">
                  <span className="item-card__agent">{agentName(item.agentId)}</span>
                  <Priority value={item.priority} />
                  <span>{t("queues.handling", { time: item.assignedAt ? since(item.assignedAt, now) : "—" })}</span>
                </p>
                <ItemActions item={item} agents={agents} queues={queues} currentQueueId={queueId} after={changed} />
              </ItemCard>
            ))}
          </Column>
          <Column title={t("queues.column.recent")} count={monitor.recent.length} name="recent">
            {monitor.recent.map((step, index) => {
              const conversation = step.item?.conversation;
              return (
                <li key={`${step.itemId}-${step.kind}-${index}`} className="history-entry" data-kind={step.kind}>
                  <span className={`outcome outcome--${step.kind.toLowerCase()}`}>{t(`queues.kind.${step.kind}` as const)}</span>
                  <span className="history-entry__who">
                    {customerName(conversation) ?? t("conversation.unknownContact")}
                    {step.agentId ? ` · ${agentName(step.agentId)}` : ""}
                  </span>
                  <HistoryTime at={step.at} />
                </li>
              );
            })}
          </Column>
        </div>
      )}
    </section>
  );
}

function HistoryTime({ at }: { at: string }) {
  const { time, dateTime } = useI18n();
  return (
    <time dateTime={at} title={dateTime(at)}>
      {time(at)}
    </time>
  );
}

function Column({
  title,
  count,
  name,
  children,
}: {
  title: string;
  count: number;
  name: string;
  children: ReactNode;
}) {
  const id = `queue-column-${name}`;
  return (
    <section className={`queue-column queue-column--${name}`} aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="queue-column__count">{count}</span>
      </h2>
      <ol>{children}</ol>
    </section>
  );
}

function Priority({ value }: { value: number }) {
  const { t } = useI18n();
  const level = value >= 2 ? "urgent" : value === 1 ? "high" : "normal";
  return <span className={`priority priority--${level}`}>{t(`queues.priority.${level}`)}</span>;
}

function ItemCard({ item, children }: { item: MonitorItemFragment; children: React.ReactNode }) {
  const { t } = useI18n();
  const name = customerName(item.conversation) ?? t("conversation.unknownContact");
  return (
    <li className="item-card" data-status={item.status} aria-label={name}>
      <a className="item-card__name" href={item.conversation ? `#/conversations/${item.conversation.id}` : undefined}>
        {name}
      </a>
      {children}
    </li>
  );
}

type Action = "assign" | "transfer";
type Answer = { __typename: string; message?: string };

/** Assign (waiting), transfer (both), complete (served) and abandon (waiting) — each answered
 * by PyTake: a refusal shows its message where the supervisor acted. */
function ItemActions({
  item,
  agents,
  queues,
  currentQueueId,
  after,
}: {
  item: MonitorItemFragment;
  agents: MonitorAgent[];
  queues: Entry["queue"][];
  currentQueueId: string;
  after: () => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState<Action | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [, assign] = useMutation(QUEUE_ITEM_ASSIGN);
  const [, transfer] = useMutation(QUEUE_ITEM_TRANSFER);
  const [, complete] = useMutation(QUEUE_ITEM_COMPLETE);
  const [, abandon] = useMutation(QUEUE_ITEM_ABANDON);
  const waiting = item.status === "WAITING";
  const candidates = assignableAgents(agents, item.agentId);
  const otherQueues = queues.filter((q) => q.id !== currentQueueId);

  async function outcome(run: Promise<{ data?: Record<string, Answer> | null; error?: CombinedError }>) {
    const result = await run;
    const answer = result.data ? Object.values(result.data)[0] : undefined;
    if (answer?.__typename === "QueueItemSuccess") {
      setProblem(null);
      setOpen(null);
      after();
    } else {
      setProblem(answer?.message ?? result.error?.message ?? t("queues.failed"));
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = new FormData(event.currentTarget).get("target");
    if (typeof value !== "string") return;
    if (open === "assign") {
      void outcome(assign({ input: { id: item.id, agentId: value } }));
    } else {
      const destination = decodeDestination(value);
      if (!destination) return;
      void outcome(
        transfer({
          input: {
            id: item.id,
            queueId: destination.kind === "queue" ? destination.id : null,
            agentId: destination.kind === "agent" ? destination.id : null,
          },
        }),
      );
    }
  }

  return (
    <div className="item-actions">
      {open ? (
        <form onSubmit={submit} className="item-actions__form">
          <label>
            {open === "assign" ? t("queues.assignTo") : t("queues.transferTo")}
            <select name="target" required autoFocus>
              {open === "assign"
                ? candidates.map((a) => (
                    <option key={a.user.id} value={a.user.id}>
                      {a.user.name} ({a.load}/{a.capacity})
                    </option>
                  ))
                : [
                    ...otherQueues.map((q) => (
                      <option key={q.id} value={encodeDestination({ kind: "queue", id: q.id })}>
                        {t("queues.toQueue", { name: q.name })}
                      </option>
                    )),
                    ...candidates.map((a) => (
                      <option key={a.user.id} value={encodeDestination({ kind: "agent", id: a.user.id })}>
                        {t("queues.toAgent", { name: a.user.name })}
                      </option>
                    )),
                  ]}
            </select>
          </label>
          <button type="submit">{open === "assign" ? t("queues.assign") : t("queues.transfer")}</button>
          <button type="button" onClick={() => setOpen(null)}>
            {t("queues.cancel")}
          </button>
        </form>
      ) : (
        <>
          {waiting && (
            <button type="button" disabled={candidates.length === 0} onClick={() => setOpen("assign")}>
              {t("queues.assign")}
            </button>
          )}
          <button
            type="button"
            disabled={otherQueues.length === 0 && candidates.length === 0}
            onClick={() => setOpen("transfer")}
          >
            {t("queues.transfer")}
          </button>
          {waiting ? (
            <button type="button" onClick={() => void outcome(abandon({ input: { id: item.id } }))}>
              {t("queues.abandon")}
            </button>
          ) : (
            <button type="button" onClick={() => void outcome(complete({ input: { id: item.id } }))}>
              {t("queues.complete")}
            </button>
          )}
        </>
      )}
      <Problem text={problem} />
    </div>
  );
}

