import { useState } from "react";
import { useMutation, useQuery } from "urql";
import { useI18n } from "../i18n";
import { Problem, reasonOf } from "../Problem";
import { type AiMessageKey, useAiText } from "./messages";
import { useCoalesced, useLive } from "../context";
import { ALERT_RAISED, ALERT_RESOLVE, ALERTS } from "./operations";

const RULES: Record<string, AiMessageKey> = {
  NEGATIVE_STREAK: "alerts.rule.NEGATIVE_STREAK",
  ANGRY_WAITING: "alerts.rule.ANGRY_WAITING",
  VIP_NEGATIVE: "alerts.rule.VIP_NEGATIVE",
};

/** The AI alerts not yet resolved, newest first and live: open the conversation, or resolve
 * one so its rule can go off again there. */
export default function AlertsPage() {
  const t = useAiText();
  const { locale } = useI18n();
  const [{ data }, reread] = useQuery({ query: ALERTS, requestPolicy: "network-only" });
  const [, resolve] = useMutation(ALERT_RESOLVE);
  const [problem, setProblem] = useState<string | null>(null);
  const refresh = useCoalesced(() => reread({ requestPolicy: "network-only" }));
  // New alerts appear as they go off; a gap in the stream (a reconnection) reads them again.
  useLive(ALERT_RAISED, {}, "aiAlertRaised", { event: refresh, gap: refresh }, "ai-alerts");
  const alerts = data?.aiAlerts.edges.map((edge) => edge.node) ?? [];
  const time = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });

  async function resolved(id: string) {
    const result = await resolve({ input: { id } });
    const payload = result.data?.aiAlertResolve;
    if (payload?.__typename === "AiAlertResolveSuccess") reread({ requestPolicy: "network-only" });
    else setProblem(reasonOf(payload, result.error));
  }

  return (
    <main className="setup-page">
      <h1>{t("alerts.title")}</h1>
      <p className="hint">{t("alerts.explain")}</p>
      <Problem text={problem} />
      {data && alerts.length === 0 && <p className="hint">{t("alerts.none")}</p>}
      {alerts.length > 0 && (
        <table className="setup-table">
          <thead>
            <tr>
              <th scope="col">{t("alerts.rule")}</th>
              <th scope="col">{t("alerts.raised")}</th>
              <td />
              <td />
            </tr>
          </thead>
          <tbody>
            {alerts.map((alert) => (
              <tr key={alert.id} data-alert={alert.rule}>
                <th scope="row">{t(RULES[alert.rule] ?? "alerts.rule.NEGATIVE_STREAK")}</th>
                <td>{time.format(new Date(alert.raisedAt))}</td>
                <td>
                  <a href={`#/conversations/${alert.conversationId}`}>{t("alerts.open")}</a>
                </td>
                <td>
                  <button type="button" onClick={() => void resolved(alert.id)}>
                    {t("alerts.resolve")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
