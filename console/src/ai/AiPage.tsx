import { Sections } from "../Sections";
import AiSettingsPage from "./AiSettingsPage";
import AlertsPage from "./AlertsPage";
import InsightsPage from "./InsightsPage";
import IntentsPage from "./IntentsPage";
import { useAiText } from "./messages";
import RepliesPage from "./RepliesPage";

const PAGES = {
  insights: InsightsPage,
  alerts: AlertsPage,
  intents: IntentsPage,
  replies: RepliesPage,
  settings: AiSettingsPage,
};

/** Conversation intelligence for supervisors: insights, alerts, intents, canned responses and
 * the AI settings. */
export default function AiPage({ section }: { section: string | null }) {
  const t = useAiText();
  return (
    <Sections
      base="ai"
      label={t("sections")}
      sections={PAGES}
      current={section}
      labelOf={(name) => t(`section.${name}`)}
    />
  );
}
