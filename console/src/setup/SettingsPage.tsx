import { useSetupText } from "./messages";
import NumbersPage from "./NumbersPage";
import { AgentSettings, QueueSettings, UserSettings } from "./TeamSettings";
import TemplatesPage from "./TemplatesPage";

const SECTIONS = {
  numbers: { label: "numbers.title", page: NumbersPage },
  templates: { label: "templates.title", page: TemplatesPage },
  queues: { label: "settings.queues", page: QueueSettings },
  agents: { label: "settings.agents", page: AgentSettings },
  users: { label: "settings.users", page: UserSettings },
} as const;
type Section = keyof typeof SECTIONS;

function isSection(value: string | null): value is Section {
  return value !== null && value in SECTIONS;
}

/** The organization's settings (owners and admins): numbers, templates, queues, agents and
 * users. */
export default function SettingsPage({ section }: { section: string | null }) {
  const t = useSetupText();
  const current: Section = isSection(section) ? section : "numbers";
  const Page = SECTIONS[current].page;
  return (
    <div className="settings">
      <nav aria-label={t("settings.sections")} className="settings__nav">
        {(Object.keys(SECTIONS) as Section[]).map((name) => (
          <a key={name} href={`#/settings/${name}`} aria-current={current === name ? "page" : undefined}>
            {t(SECTIONS[name].label)}
          </a>
        ))}
      </nav>
      <Page />
    </div>
  );
}
