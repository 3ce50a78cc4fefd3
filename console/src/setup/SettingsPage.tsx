import { Sections } from "../Sections";
import { useSetupText } from "./messages";
import NumbersPage from "./NumbersPage";
import { AgentSettings, QueueSettings, UserSettings } from "./TeamSettings";
import TemplatesPage from "./TemplatesPage";

const PAGES = {
  numbers: NumbersPage,
  templates: TemplatesPage,
  queues: QueueSettings,
  agents: AgentSettings,
  users: UserSettings,
};
const LABELS = {
  numbers: "numbers.title",
  templates: "templates.title",
  queues: "settings.queues",
  agents: "settings.agents",
  users: "settings.users",
} as const;

/** The organization's settings (owners and admins): numbers, templates, queues, agents and
 * users. */
export default function SettingsPage({ section }: { section: string | null }) {
  const t = useSetupText();
  return (
    <Sections
      base="settings"
      label={t("settings.sections")}
      sections={PAGES}
      current={section}
      labelOf={(name) => t(LABELS[name])}
    />
  );
}
