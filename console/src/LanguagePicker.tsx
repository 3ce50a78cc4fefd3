import { LOCALES, type Locale, useI18n } from "./i18n";

const NAMES: Record<Locale, string> = { "pt-BR": "Português (Brasil)", en: "English" };

export function LanguagePicker() {
  const { locale, setLocale, t } = useI18n();
  return (
    <label className="language">
      <span className="language__name">{t("shell.language")}</span>
      <select value={locale} onChange={(e) => setLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NAMES[l]}
          </option>
        ))}
      </select>
    </label>
  );
}
