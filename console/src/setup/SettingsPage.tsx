import { useSetupText } from "./messages";
import NumbersPage from "./NumbersPage";
import TemplatesPage from "./TemplatesPage";

const SECTIONS = ["numbers", "templates"] as const;

/** The organization's settings (owners and admins): its WhatsApp numbers and templates. */
export default function SettingsPage({ section }: { section: string | null }) {
  const t = useSetupText();
  const current = SECTIONS.find((s) => s === section) ?? "numbers";
  return (
    <div className="settings">
      <nav aria-label={t("settings.sections")} className="settings__nav">
        {SECTIONS.map((name) => (
          <a key={name} href={`#/settings/${name}`} aria-current={current === name ? "page" : undefined}>
            {t(`${name}.title`)}
          </a>
        ))}
      </nav>
      {current === "numbers" ? <NumbersPage /> : <TemplatesPage />}
    </div>
  );
}
