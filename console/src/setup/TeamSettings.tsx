import { type FormEvent, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useMe } from "../context";
import type {
  ConsoleAgentSettingsQuery,
  ConsoleQueueSettingsQuery,
  DistributionStrategy,
  OutsideHoursPolicy,
  UserRole,
} from "../gql/graphql";
import { useI18n } from "../i18n";
import { Problem, reasonOf } from "../Problem";
import { useSetupText } from "./messages";
import {
  AGENT_SAVE,
  AGENT_SETTINGS,
  QUEUE_CREATE,
  QUEUE_DELETE,
  QUEUE_SAVE,
  QUEUE_SETTINGS,
  USER_DEACTIVATE,
  USER_ROLE,
  USERS,
} from "./operations";
import { invitableRoles } from "./TeamPage";

const STRATEGIES: readonly DistributionStrategy[] = ["LEAST_BUSY", "ROUND_ROBIN", "LONGEST_IDLE"];
const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

type Hours = { timeZone?: string; weekly?: Record<string, string[][]> } | null;

/** Hours as the inputs show them ("09:00-12:00, 13:00-18:00" per day) and back. */
export function hoursText(hours: Hours): Record<string, string> {
  return Object.fromEntries(
    WEEKDAYS.map((day) => [day, (hours?.weekly?.[day] ?? []).map((pair) => pair.join("-")).join(", ")]),
  );
}

export function hoursValue(timeZone: string, text: Record<string, string>): { timeZone: string; weekly: Record<string, string[][]> } {
  const weekly = Object.fromEntries(
    Object.entries(text)
      .filter(([, value]) => value.trim())
      .map(([day, value]) => [day, value.split(",").map((part) => part.trim().split("-").map((p) => p.trim()))]),
  );
  return { timeZone, weekly };
}

function numberOrNull(value: string): number | null {
  return value.trim() === "" ? null : Number(value);
}

function HoursFields({ text, onChange }: { text: Record<string, string>; onChange(text: Record<string, string>): void }) {
  const t = useSetupText();
  return (
    <fieldset>
      <legend>{t("hours")}</legend>
      {WEEKDAYS.map((day) => (
        <label key={day}>
          {t(`day.${day}`)}
          <input value={text[day] ?? ""} placeholder={t("closed")} onChange={(e) => onChange({ ...text, [day]: e.target.value })} />
        </label>
      ))}
    </fieldset>
  );
}

type Queue = ConsoleQueueSettingsQuery["queues"][number];

/** Queues (owners and admins): how each distributes, when it is open, its size, waits,
 * fallbacks and the messages customers get. */
export function QueueSettings() {
  const t = useSetupText();
  const [{ data }, reread] = useQuery({ query: QUEUE_SETTINGS, requestPolicy: "network-only" });
  const [, create] = useMutation(QUEUE_CREATE);
  const [name, setName] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = () => reread({ requestPolicy: "network-only" });
  async function add(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { name } });
    const payload = result.data?.queueCreate;
    if (payload?.__typename === "QueueSaveSuccess") {
      setName("");
      refresh();
    } else setProblem(reasonOf(payload, result.error));
  }
  return (
    <main className="setup-page">
      <h1>{t("queues.title")}</h1>
      {data?.queues.map((queue) => <QueueForm key={queue.id} queue={queue} queues={data.queues} onSaved={refresh} />)}
      <form className="setup-form" onSubmit={(e) => void add(e)}>
        <label>
          {t("queueName")}
          <input required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit">{t("createQueue")}</button>
      </form>
      <Problem text={problem} />
    </main>
  );
}

function QueueForm({ queue, queues, onSaved }: { queue: Queue; queues: Queue[]; onSaved: () => void }) {
  const t = useSetupText();
  const [, save] = useMutation(QUEUE_SAVE);
  const [, remove] = useMutation(QUEUE_DELETE);
  const hours = queue.workingHours as Hours;
  const [form, setForm] = useState({
    name: queue.name,
    strategy: queue.strategy,
    outsideHours: queue.outsideHours,
    maxSize: queue.maxSize?.toString() ?? "",
    maxWaitMinutes: queue.maxWaitMinutes?.toString() ?? "",
    agentReplyTimeoutMinutes: queue.agentReplyTimeoutMinutes?.toString() ?? "",
    targetAnswerSeconds: queue.targetAnswerSeconds.toString(),
    overflowQueueId: queue.overflowQueueId ?? "",
    requiredSkills: queue.requiredSkills.join(", "),
    welcome: queue.messages.welcome ?? "",
    positionUpdate: queue.messages.positionUpdate ?? "",
    outsideHoursMessage: queue.messages.outsideHours ?? "",
    queueFull: queue.messages.queueFull ?? "",
    waitTimeout: queue.messages.waitTimeout ?? "",
    timeZone: hours?.timeZone ?? "America/Sao_Paulo",
  });
  const [hoursTextState, setHoursText] = useState(() => hoursText(hours));
  const [alwaysOpen, setAlwaysOpen] = useState(!hours);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [key]: e.target.value });
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const result = await save({
      input: {
        id: queue.id,
        name: form.name,
        strategy: form.strategy,
        outsideHours: form.outsideHours,
        maxSize: numberOrNull(form.maxSize),
        maxWaitMinutes: numberOrNull(form.maxWaitMinutes),
        agentReplyTimeoutMinutes: numberOrNull(form.agentReplyTimeoutMinutes),
        targetAnswerSeconds: Number(form.targetAnswerSeconds),
        overflowQueueId: form.overflowQueueId || null,
        requiredSkills: form.requiredSkills.split(",").map((s) => s.trim()).filter(Boolean),
        alwaysOpen,
        workingHours: alwaysOpen ? null : hoursValue(form.timeZone, hoursTextState),
        messages: {
          welcome: form.welcome || null,
          positionUpdate: form.positionUpdate || null,
          outsideHours: form.outsideHoursMessage || null,
          queueFull: form.queueFull || null,
          waitTimeout: form.waitTimeout || null,
        },
      },
    });
    const payload = result.data?.queueUpdate;
    if (payload?.__typename === "QueueSaveSuccess") {
      setProblem(null);
      setSaved(true);
      onSaved();
    } else setProblem(reasonOf(payload, result.error));
  }
  return (
    <section className="number-card" aria-labelledby={`queue-${queue.id}`} data-queue={queue.name}>
      <h2 id={`queue-${queue.id}`}>{queue.name}</h2>
      <form className="setup-form setup-form--column" onSubmit={(e) => void submit(e)}>
        <label>
          {t("queueName")}
          <input required value={form.name} onChange={set("name")} />
        </label>
        <label>
          {t("queues.strategy")}
          <select value={form.strategy} onChange={(e) => setForm({ ...form, strategy: e.target.value as DistributionStrategy })}>
            {STRATEGIES.map((s) => (
              <option key={s} value={s}>
                {t(`strategy.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="setup-check">
          <input type="checkbox" checked={alwaysOpen} onChange={(e) => setAlwaysOpen(e.target.checked)} /> {t("queues.alwaysOpen")}
        </label>
        {!alwaysOpen && (
          <>
            <label>
              {t("timeZone")}
              <input value={form.timeZone} onChange={set("timeZone")} />
            </label>
            <HoursFields text={hoursTextState} onChange={setHoursText} />
            <label>
              {t("queues.outside")}
              <select value={form.outsideHours} onChange={(e) => setForm({ ...form, outsideHours: e.target.value as OutsideHoursPolicy })}>
                <option value="WAIT">{t("queues.outside.WAIT")}</option>
                <option value="REFUSE">{t("queues.outside.REFUSE")}</option>
              </select>
            </label>
          </>
        )}
        <label>
          {t("queues.maxSize")}
          <input type="number" min={1} value={form.maxSize} onChange={set("maxSize")} />
        </label>
        <label>
          {t("queues.maxWait")}
          <input type="number" min={1} value={form.maxWaitMinutes} onChange={set("maxWaitMinutes")} />
        </label>
        <label>
          {t("queues.overflow")}
          <select value={form.overflowQueueId} onChange={set("overflowQueueId")}>
            <option value="">{t("queues.noOverflow")}</option>
            {queues
              .filter((other) => other.id !== queue.id)
              .map((other) => (
                <option key={other.id} value={other.id}>
                  {other.name}
                </option>
              ))}
          </select>
        </label>
        <label>
          {t("queues.replyTimeout")}
          <input type="number" min={1} value={form.agentReplyTimeoutMinutes} onChange={set("agentReplyTimeoutMinutes")} />
        </label>
        <label>
          {t("queues.target")}
          <input type="number" min={1} required value={form.targetAnswerSeconds} onChange={set("targetAnswerSeconds")} />
        </label>
        <label>
          {t("queues.skills")}
          <input value={form.requiredSkills} onChange={set("requiredSkills")} />
        </label>
        <label>
          {t("queues.welcome")}
          <textarea rows={2} value={form.welcome} onChange={set("welcome")} />
        </label>
        <label>
          {t("queues.positionMessage")}
          <textarea rows={2} value={form.positionUpdate} onChange={set("positionUpdate")} />
        </label>
        <label>
          {t("queues.outsideMessage")}
          <textarea rows={2} value={form.outsideHoursMessage} onChange={set("outsideHoursMessage")} />
        </label>
        <label>
          {t("queues.fullMessage")}
          <textarea rows={2} value={form.queueFull} onChange={set("queueFull")} />
        </label>
        <label>
          {t("queues.timeoutMessage")}
          <textarea rows={2} value={form.waitTimeout} onChange={set("waitTimeout")} />
        </label>
        <button type="submit">{t("save")}</button>
        {saved && <p role="status">{t("saved")}</p>}
      </form>
      <button
        type="button"
        className="danger"
        onClick={() =>
          void remove({ input: { id: queue.id } }).then((result) => {
            const payload = result.data?.queueDelete;
            if (payload && "message" in payload && payload.message) setProblem(payload.message);
            else onSaved();
          })
        }
      >
        {t("queues.delete")}
      </button>
      <Problem text={problem} />
    </section>
  );
}

type AgentRow = ConsoleAgentSettingsQuery["agents"][number];

/** Agents (owners and admins): capacity, skills, the queues each serves and working hours. */
export function AgentSettings() {
  const t = useSetupText();
  const [{ data }, reread] = useQuery({ query: AGENT_SETTINGS, requestPolicy: "network-only" });
  return (
    <main className="setup-page">
      <h1>{t("agents.title")}</h1>
      {data?.agents.map((agent) => (
        <AgentForm key={agent.user.id} agent={agent} queues={data.queues} onSaved={() => reread({ requestPolicy: "network-only" })} />
      ))}
    </main>
  );
}

function AgentForm({ agent, queues, onSaved }: { agent: AgentRow; queues: { id: string; name: string }[]; onSaved: () => void }) {
  const t = useSetupText();
  const [, save] = useMutation(AGENT_SAVE);
  const hours = agent.workingHours as Hours;
  const [capacity, setCapacity] = useState(agent.capacity.toString());
  const [skills, setSkills] = useState(agent.skills.join(", "));
  const [queueIds, setQueueIds] = useState<string[]>(agent.queueIds);
  const [anyHours, setAnyHours] = useState(!hours);
  const [timeZone, setTimeZone] = useState(hours?.timeZone ?? "America/Sao_Paulo");
  const [text, setText] = useState(() => hoursText(hours));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const result = await save({
      input: {
        userId: agent.user.id,
        capacity: Number(capacity),
        skills: skills.split(",").map((s) => s.trim()).filter(Boolean),
        queueIds,
        anyHours,
        workingHours: anyHours ? null : hoursValue(timeZone, text),
      },
    });
    const payload = result.data?.agentUpdate;
    if (payload?.__typename === "AgentSuccess") {
      setProblem(null);
      setSaved(true);
      onSaved();
    } else setProblem(reasonOf(payload, result.error));
  }
  return (
    <section className="number-card" aria-labelledby={`agent-${agent.user.id}`} data-agent={agent.user.email}>
      <h2 id={`agent-${agent.user.id}`}>{agent.user.name}</h2>
      <form className="setup-form setup-form--column" onSubmit={(e) => void submit(e)}>
        <label>
          {t("agents.capacity")}
          <input type="number" min={1} required value={capacity} onChange={(e) => setCapacity(e.target.value)} />
        </label>
        <label>
          {t("agents.skills")}
          <input value={skills} onChange={(e) => setSkills(e.target.value)} />
        </label>
        <fieldset>
          <legend>{t("agents.queues")}</legend>
          {queues.map((queue) => (
            <label key={queue.id} className="setup-check">
              <input
                type="checkbox"
                checked={queueIds.includes(queue.id)}
                onChange={(e) => setQueueIds(e.target.checked ? [...queueIds, queue.id] : queueIds.filter((id) => id !== queue.id))}
              />{" "}
              {queue.name}
            </label>
          ))}
        </fieldset>
        <label className="setup-check">
          <input type="checkbox" checked={anyHours} onChange={(e) => setAnyHours(e.target.checked)} /> {t("agents.anyHours")}
        </label>
        {!anyHours && (
          <>
            <label>
              {t("timeZone")}
              <input value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
            </label>
            <HoursFields text={text} onChange={setText} />
          </>
        )}
        <button type="submit">{t("save")}</button>
        {saved && <p role="status">{t("saved")}</p>}
      </form>
      <Problem text={problem} />
    </section>
  );
}

/** Users and roles (owners and admins): change a role within what the caller may give, or
 * deactivate someone; new people join through invitations (Team). */
export function UserSettings() {
  const t = useSetupText();
  const { t: tt } = useI18n();
  const me = useMe();
  const [{ data }, reread] = useQuery({ query: USERS, requestPolicy: "network-only" });
  const [, setRole] = useMutation(USER_ROLE);
  const [, deactivate] = useMutation(USER_DEACTIVATE);
  const [problem, setProblem] = useState<string | null>(null);
  const roles = invitableRoles(me.role);
  async function act(result: Promise<{ data?: object | null; error?: { message: string } }>, field: string) {
    const outcome = await result;
    const payload = (outcome.data as Record<string, { message?: string }> | undefined)?.[field];
    setProblem(payload?.message ? payload.message : outcome.error ? outcome.error.message : null);
    reread({ requestPolicy: "network-only" });
  }
  return (
    <main className="setup-page">
      <h1>{t("users.title")}</h1>
      <p className="hint">{t("users.hint")}</p>
      <Problem text={problem} />
      <table className="setup-table">
        <thead>
          <tr>
            <th scope="col">{tt("team.name")}</th>
            <th scope="col">{tt("signIn.email")}</th>
            <th scope="col">{tt("team.role")}</th>
            <th scope="col">{tt("team.actions")}</th>
          </tr>
        </thead>
        <tbody>
          {data?.organization.users.edges.map(({ node: user }) => (
            <tr key={user.id} data-user={user.email} className={user.isActive ? undefined : "inactive"}>
              <td>{user.name}</td>
              <td>{user.email}</td>
              <td>
                {user.id === me.id || !roles.includes(user.role) || !user.isActive ? (
                  tt(`role.${user.role}`)
                ) : (
                  <select
                    aria-label={t("users.roleOf", { name: user.name })}
                    value={user.role}
                    onChange={(e) => void act(setRole({ input: { id: user.id, role: e.target.value as UserRole } }), "userUpdate")}
                  >
                    {roles.map((role) => (
                      <option key={role} value={role}>
                        {tt(`role.${role}`)}
                      </option>
                    ))}
                  </select>
                )}
                {!user.isActive && ` · ${tt("team.deactivated")}`}
              </td>
              <td>
                {user.isActive && user.id !== me.id && roles.includes(user.role) && (
                  <button
                    type="button"
                    className="danger"
                    onClick={() => {
                      if (window.confirm(t("users.confirmDeactivate", { name: user.name }))) {
                        void act(deactivate({ input: { id: user.id } }), "userDeactivate");
                      }
                    }}
                  >
                    {t("users.deactivate")}
                    <span className="visually-hidden"> {user.name}</span>
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
