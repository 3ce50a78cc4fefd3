import { useMemo, useState } from "react";
import { useQuery } from "urql";
import { customerName } from "../contacts";
import { useI18n } from "../i18n";
import { useAiText } from "./messages";
import { INSIGHTS } from "./operations";

const PERIODS = [7, 30, 90] as const;

function percent(value: number | null | undefined, locale: string): string {
  return value === null || value === undefined
    ? "—"
    : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(value);
}

/** What customers felt and wanted over the last days, by day in the organization's time zone. */
export default function InsightsPage() {
  const t = useAiText();
  const { locale } = useI18n();
  const [days, setDays] = useState<(typeof PERIODS)[number]>(7);
  const variables = useMemo(() => {
    const until = new Date(Date.now() + 3_600_000);
    const since = new Date(until.getTime() - days * 86_400_000);
    return { since: since.toISOString(), until: until.toISOString(), groupBy: "DAY" as const };
  }, [days]);
  const [{ data }] = useQuery({ query: INSIGHTS, variables, requestPolicy: "network-only" });
  const insights = data?.aiInsights;
  const dayFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  return (
    <main className="setup-page insights">
      <h1>{t("insights.title")}</h1>
      <label>
        {t("insights.period")}{" "}
        <select value={days} onChange={(e) => setDays(Number(e.target.value) as (typeof PERIODS)[number])}>
          {PERIODS.map((period) => (
            <option key={period} value={period}>
              {t("insights.days", { days: period })}
            </option>
          ))}
        </select>
      </label>
      {insights && (
        <>
          <dl className="insights__figures">
            {(
              [
                ["insights.read", insights.sentiment.read],
                ["insights.negative", insights.sentiment.negative],
                ["insights.neutral", insights.sentiment.neutral],
                ["insights.positive", insights.sentiment.positive],
                ["insights.average", insights.sentiment.averageScore?.toFixed(2) ?? "—"],
                ["insights.turnedNegative", insights.sentiment.turnedNegative],
              ] as const
            ).map(([label, value]) => (
              <div key={label} data-figure={label}>
                <dt>{t(label)}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <section aria-labelledby="insights-trend">
            <h2 id="insights-trend">{t("insights.trend")}</h2>
            <table className="setup-table">
              <thead>
                <tr>
                  <th scope="col">{t("insights.day")}</th>
                  <th scope="col">{t("insights.negative")}</th>
                  <th scope="col">{t("insights.neutral")}</th>
                  <th scope="col">{t("insights.positive")}</th>
                </tr>
              </thead>
              <tbody>
                {insights.trend.map((bucket) => (
                  <tr key={bucket.start}>
                    <th scope="row">{dayFormat.format(new Date(bucket.start))}</th>
                    <td>{bucket.sentiment.negative}</td>
                    <td>{bucket.sentiment.neutral}</td>
                    <td>{bucket.sentiment.positive}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section aria-labelledby="insights-intents">
            <h2 id="insights-intents">{t("insights.topIntents")}</h2>
            {insights.topIntents.length === 0 ? (
              <p className="hint">{t("insights.noIntents")}</p>
            ) : (
              <table className="setup-table">
                <thead>
                  <tr>
                    <th scope="col">{t("insights.intent")}</th>
                    <th scope="col">{t("insights.count")}</th>
                    <th scope="col">{t("insights.share")}</th>
                    <th scope="col">{t("insights.before")}</th>
                  </tr>
                </thead>
                <tbody>
                  {insights.topIntents.map((intent) => (
                    <tr key={intent.name} data-intent={intent.name}>
                      <th scope="row">{intent.name}</th>
                      <td>{intent.count}</td>
                      <td>{percent(intent.share, locale)}</td>
                      <td>{intent.previousCount}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="insights-suggestions">
            <h2 id="insights-suggestions">{t("insights.suggestions")}</h2>
            <dl className="insights__figures">
              <div data-figure="offered">
                <dt>{t("insights.offered")}</dt>
                <dd>{insights.suggestions.offered}</dd>
              </div>
              <div data-figure="accepted">
                <dt>{t("insights.accepted")}</dt>
                <dd>{insights.suggestions.accepted}</dd>
              </div>
              <div data-figure="rate">
                <dt>{t("insights.rate")}</dt>
                <dd>{percent(insights.suggestions.acceptanceRate, locale)}</dd>
              </div>
            </dl>
          </section>
          <section aria-labelledby="insights-negative">
            <h2 id="insights-negative">{t("insights.negativeNow")}</h2>
            {insights.negativeConversations.length === 0 ? (
              <p className="hint">{t("insights.none")}</p>
            ) : (
              <ul>
                {insights.negativeConversations.map((conversation, index) => (
                  <li key={conversation.id}>
                    <a href={`#/conversations/${conversation.id}`}>
                      {customerName(conversation) ?? t("insights.open", { number: index + 1 })}
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </main>
  );
}
