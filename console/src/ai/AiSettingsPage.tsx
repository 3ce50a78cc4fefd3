import { type FormEvent, useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { Problem, reasonOf } from "../Problem";
import { lexiconText, parsedLexicon } from "./lexicon";
import { useAiText } from "./messages";
import { AI_SETTINGS, AI_SETTINGS_UPDATE } from "./operations";

const LANGUAGES = ["pt-BR", "en"] as const;

/** What the organization chose about reading its customers' texts (owners and admins change
 * it; supervisors see it). */
export default function AiSettingsPage() {
  const t = useAiText();
  const [{ data }, reread] = useQuery({ query: AI_SETTINGS, requestPolicy: "network-only" });
  const [, update] = useMutation(AI_SETTINGS_UPDATE);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [enabled, setEnabled] = useState(true);
  const [languages, setLanguages] = useState<string[]>([...LANGUAGES]);
  const [negative, setNegative] = useState("-0.05");
  const [positive, setPositive] = useState("0.05");
  const [streak, setStreak] = useState("");
  const [waiting, setWaiting] = useState("");
  const [vip, setVip] = useState("");
  const [lexicon, setLexicon] = useState("");

  useEffect(() => {
    const settings = data?.aiSettings;
    if (!settings) return;
    setEnabled(settings.enabled);
    setLanguages(settings.languages);
    setNegative(String(settings.negativeThreshold));
    setPositive(String(settings.positiveThreshold));
    setStreak(settings.alerts.negativeStreak?.toString() ?? "");
    setWaiting(settings.alerts.angryWaitingMinutes?.toString() ?? "");
    setVip(settings.alerts.vipLabels.join(", "));
    setLexicon(lexiconText(settings.lexicon));
  }, [data]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    setProblem(null);
    const words = parsedLexicon(lexicon);
    if ("badLine" in words) {
      setProblem(t("settings.badLine", { line: words.badLine }));
      return;
    }
    const result = await update({
      input: {
        enabled,
        languages,
        negativeThreshold: Number(negative),
        positiveThreshold: Number(positive),
        lexicon: words.entries,
        negativeStreak: streak ? Number(streak) : null,
        clearNegativeStreak: !streak,
        angryWaitingMinutes: waiting ? Number(waiting) : null,
        clearAngryWaitingMinutes: !waiting,
        vipLabels: vip
          .split(",")
          .map((label) => label.trim())
          .filter(Boolean),
      },
    });
    const payload = result.data?.aiSettingsUpdate;
    if (payload?.__typename === "AiSettingsUpdateSuccess") {
      setSaved(true);
      reread({ requestPolicy: "network-only" });
    } else setProblem(reasonOf(payload, result.error));
  }

  return (
    <main className="setup-page">
      <h1>{t("settings.title")}</h1>
      <p className="hint">{t("settings.explain")}</p>
      {saved && <p role="status">{t("settings.saved")}</p>}
      <Problem text={problem} />
      <form className="setup-form setup-form--column" onSubmit={(e) => void save(e)}>
        <label>
          <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{" "}
          {t("settings.enabled")}
        </label>
        <fieldset>
          <legend>{t("settings.languages")}</legend>
          {LANGUAGES.map((language) => (
            <label key={language}>
              <input
                type="checkbox"
                checked={languages.includes(language)}
                onChange={(e) =>
                  setLanguages(
                    e.target.checked ? [...languages, language] : languages.filter((l) => l !== language),
                  )
                }
              />{" "}
              {t(`settings.language.${language}`)}
            </label>
          ))}
        </fieldset>
        <label>
          {t("settings.negative")}
          <input type="number" step="0.01" min={-1} max={0} value={negative} onChange={(e) => setNegative(e.target.value)} />
        </label>
        <label>
          {t("settings.positive")}
          <input type="number" step="0.01" min={0} max={1} value={positive} onChange={(e) => setPositive(e.target.value)} />
        </label>
        <label>
          {t("settings.streak")}
          <input type="number" min={2} max={4} value={streak} onChange={(e) => setStreak(e.target.value)} />
        </label>
        <label>
          {t("settings.waiting")}
          <input type="number" min={1} value={waiting} onChange={(e) => setWaiting(e.target.value)} />
        </label>
        <label>
          {t("settings.vip")}
          <input value={vip} onChange={(e) => setVip(e.target.value)} />
        </label>
        <label>
          {t("settings.lexicon")}
          <textarea rows={4} value={lexicon} onChange={(e) => setLexicon(e.target.value)} />
        </label>
        <button type="submit">{t("settings.save")}</button>
      </form>
    </main>
  );
}
