import type { ConversationSummaryFragment } from "../gql/graphql";
import type { useI18n } from "../i18n";

type Sentiment = NonNullable<ConversationSummaryFragment["sentiment"]>;

const TREND_ARROWS: Record<Sentiment["trend"], string> = { IMPROVING: "↗", STEADY: "", WORSENING: "↘" };

/** How the customer feels now, for the inbox row: a coloured word, and the trend's arrow. */
export function SentimentMark({ sentiment, t }: { sentiment: Sentiment; t: ReturnType<typeof useI18n>["t"] }) {
  const label = sentiment.current.label;
  const described = t("sentiment.conversation", {
    label: t(`sentiment.${label}`),
    trend: t(`sentiment.trend.${sentiment.trend}`),
  });
  return (
    <span className={`sentiment-mark sentiment--${label.toLowerCase()}`} title={described} aria-label={described}>
      {t(`sentiment.${label}`)}
      {TREND_ARROWS[sentiment.trend]}
    </span>
  );
}
