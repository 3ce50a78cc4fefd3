import { useEffect, useMemo, useState } from "react";
import { useClient } from "urql";
import { useCoalesced, useLive } from "../context";
import type { ConsoleFlowActivityQuery, FlowKind } from "../gql/graphql";
import { freshReader, readFresh } from "../reads";
import { useFlowText } from "./messages";
import { FLOW_ACTIVITY, FLOW_SESSION_UPDATES } from "./operations";

export interface Settings {
  name: string;
  numberIds: string[];
  expiryMinutes: number;
}

/** The flow's name, the numbers it answers on and its session expiry, saved with the draft. */
export function FlowSettings({
  settings,
  kind,
  numbers,
  onChange,
}: {
  settings: Settings;
  kind: FlowKind;
  numbers: { id: string; displayPhoneNumber: string; verifiedName?: string | null }[];
  onChange(settings: Settings): void;
}) {
  const { t } = useFlowText();
  return (
    <form className="flow-settings" onSubmit={(event) => event.preventDefault()}>
      <h2>{t("settings.title")}</h2>
      <label>
        {t("flows.name")}
        <input value={settings.name} required maxLength={200} onChange={(e) => onChange({ ...settings, name: e.target.value })} />
      </label>
      <p>
        {t("flows.kind")}: {t(`kind.${kind}`)}
      </p>
      <fieldset>
        <legend>{t("settings.numbers")}</legend>
        {numbers.length === 0 && <p className="hint">{t("settings.noNumbers")}</p>}
        {numbers.map((number) => (
          <label key={number.id} className="node-form__check">
            <input
              type="checkbox"
              checked={settings.numberIds.includes(number.id)}
              onChange={(e) =>
                onChange({
                  ...settings,
                  numberIds: e.target.checked
                    ? [...settings.numberIds, number.id]
                    : settings.numberIds.filter((id) => id !== number.id),
                })
              }
            />{" "}
            {number.displayPhoneNumber}
            {number.verifiedName ? ` · ${number.verifiedName}` : ""}
          </label>
        ))}
      </fieldset>
      <label>
        {t("settings.expiry")}
        <input
          type="number"
          min={1}
          max={10080}
          value={settings.expiryMinutes}
          onChange={(e) => onChange({ ...settings, expiryMinutes: Number(e.target.value) })}
        />
      </label>
      <p className="hint">{t("settings.saveHint")}</p>
    </form>
  );
}

/** Every published version with its date and publisher; any earlier one can be published again. */
export function FlowVersions({
  versions,
  current,
  users,
  busy,
  onRestore,
}: {
  versions: { version: number; publishedAt: string; publishedByUserId?: string | null }[];
  current: number | null;
  users: { id: string; name: string }[];
  busy: boolean;
  onRestore(version: number): void;
}) {
  const { t, dateTime } = useFlowText();
  const names = new Map(users.map((user) => [user.id, user.name]));
  return (
    <section className="flow-versions" aria-labelledby="flow-versions-title">
      <h2 id="flow-versions-title">{t("versions.title")}</h2>
      {versions.length === 0 && <p className="hint">{t("versions.none")}</p>}
      <ol reversed>
        {versions.map((version) => (
          <li key={version.version} data-version={version.version}>
            <strong>v{version.version}</strong> · {dateTime(version.publishedAt)}
            {version.publishedByUserId && ` · ${names.get(version.publishedByUserId) ?? "—"}`}
            {version.version === current ? (
              <span className="badge">{t("versions.live")}</span>
            ) : (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  if (window.confirm(t("versions.confirm", { version: version.version }))) onRestore(version.version);
                }}
              >
                {t("versions.restore", { version: version.version })}
              </button>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

type Activity = ConsoleFlowActivityQuery;
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** The last seven days of sessions in figures, where customers stopped, and the latest
 * sessions, kept current as sessions start, move and end. */
export function FlowActivity({ flowId, onNode }: { flowId: string; onNode(nodeId: string): void }) {
  const { t, dateTime } = useFlowText();
  const client = useClient();
  const [activity, setActivity] = useState<Activity | null>(null);
  const since = useMemo(() => new Date(Date.now() - WEEK_MS).toISOString(), []);
  const read = useMemo(
    () =>
      freshReader(async () => {
        const result = await readFresh(client, FLOW_ACTIVITY, { id: flowId, since });
        if (result.data) setActivity(result.data);
      }),
    [client, flowId, since],
  );
  useEffect(() => {
    void read();
  }, [read]);
  const changed = useCoalesced(() => void read(), 300);
  useLive(FLOW_SESSION_UPDATES, { flowId }, "flowSessionUpdated", { event: changed, gap: changed }, `flow-${flowId}`);
  if (!activity) return <p className="loading">{t("editor.loading")}</p>;
  const stats = activity.flowStats;
  const figures = ["started", "completed", "transferred", "expired", "replaced", "failed", "active"] as const;
  return (
    <section className="flow-activity" aria-labelledby="flow-activity-title">
      <h2 id="flow-activity-title">{t("activity.title")}</h2>
      <dl className="flow-activity__figures">
        {figures.map((figure) => (
          <div key={figure}>
            <dt>{t(`activity.${figure}`)}</dt>
            <dd data-figure={figure}>{stats[figure]}</dd>
          </div>
        ))}
      </dl>
      {stats.dropOff.length > 0 && (
        <>
          <h3>{t("activity.dropOff")}</h3>
          <ul>
            {stats.dropOff.map((drop) => (
              <li key={drop.nodeId}>
                <button type="button" className="link" onClick={() => onNode(drop.nodeId)}>
                  {drop.nodeId}
                </button>{" "}
                {t("activity.sessions", { count: drop.sessions })}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t("activity.latest")}</h3>
      <ul className="flow-activity__sessions">
        {activity.flowSessions.edges.map(({ node: session }) => (
          <li key={session.id} data-status={session.status}>
            {dateTime(session.startedAt)} · v{session.flowVersion} · {t(`sessionStatus.${session.status}`)} ·{" "}
            {t("activity.steps", { count: session.stepCount })}
            {session.waitingAtNodeId && ` · ${t("activity.waitingAt", { node: session.waitingAtNodeId })}`}
            {session.error && <span className="problem"> {session.error}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
