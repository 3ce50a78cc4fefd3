import { type FormEvent, useEffect, useRef, useState } from "react";
import { useMutation, useQuery } from "urql";
import { chime, setChimeVolume } from "../chime";
import { useMe } from "../context";
import { Problem, reasonOf } from "../Problem";
import { BrowserPush } from "./BrowserPush";
import { typeKey, useNotificationText } from "./messages";
import { PREFERENCES, PREFERENCES_UPDATE } from "./operations";

interface Choice {
  type: string;
  inApp: boolean;
  sound: boolean;
  push: boolean;
  email: boolean;
}

/** Each type on or off, with or without sound, pushed to browsers or e-mailed in digests; quiet hours in a time zone; urgent ones let
 * through or not; how many toasts a minute at most. */
export default function PreferencesPage() {
  const t = useNotificationText();
  const [{ data }] = useQuery({ query: PREFERENCES, requestPolicy: "network-only" });
  const [, update] = useMutation(PREFERENCES_UPDATE);
  const [choices, setChoices] = useState<Choice[]>([]);
  const [quietStart, setQuietStart] = useState("");
  const [quietEnd, setQuietEnd] = useState("");
  const [timeZone, setTimeZone] = useState("");
  const [urgentPasses, setUrgentPasses] = useState(true);
  const [maxPerMinute, setMaxPerMinute] = useState("10");
  const [volume, setVolume] = useState(60);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // The form is filled once: a later read (a save's, or the network's after the cache's) must
  // not undo what the person is changing.
  const filled = useRef(false);
  useEffect(() => {
    const preferences = data?.notificationPreferences;
    if (!preferences || filled.current) return;
    filled.current = true;
    setChoices(preferences.types.map(({ type, inApp, sound, push, email }) => ({ type, inApp, sound, push, email })));
    setQuietStart(preferences.quietHours?.start ?? "");
    setQuietEnd(preferences.quietHours?.end ?? "");
    setTimeZone(preferences.timeZone ?? "");
    setUrgentPasses(preferences.urgentPasses);
    setMaxPerMinute(String(preferences.maxAnnouncedPerMinute));
    setVolume(preferences.soundVolume);
  }, [data]);
  const emailing = data?.notificationChannels.email ?? false;
  const { role } = useMe();
  // Only the types the person's role can receive: an agent is never told a queue is full.
  const theirs = new Set(data?.notificationTypes.filter((kind) => kind.roles.includes(role)).map((kind) => kind.name));
  const descriptions = new Map(data?.notificationTypes.map((kind) => [kind.name, kind.description]));

  function changeChoice(type: string, change: Partial<Choice>) {
    setChoices((all) => all.map((choice) => (choice.type === type ? { ...choice, ...change } : choice)));
    setSaved(false);
  }

  function tryTone() {
    setChimeVolume(volume);
    chime();
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    const quiet = quietStart && quietEnd ? { start: quietStart, end: quietEnd } : null;
    const result = await update({
      input: {
        types: choices,
        ...(quiet ? { quietHours: quiet } : { clearQuietHours: true }),
        ...(timeZone.trim() ? { timeZone: timeZone.trim() } : { followOrganizationTimeZone: true }),
        urgentPasses,
        maxAnnouncedPerMinute: Number(maxPerMinute),
        soundVolume: volume,
      },
    });
    const payload = result.data?.notificationPreferencesUpdate;
    if (payload?.__typename === "NotificationPreferencesUpdateSuccess") {
      setChimeVolume(volume);
      setProblem(null);
      setSaved(true);
    } else {
      setProblem(reasonOf(payload, result.error));
    }
  }

  return (
    <main className="setup-page">
      <h1>{t("preferences.title")}</h1>
      <p className="hint">{t("preferences.explain")}</p>
      <form onSubmit={(e) => void save(e)}>
        <table className="setup-table">
          <thead>
            <tr>
              <th scope="col">{t("preferences.type")}</th>
              <th scope="col">{t("preferences.inApp")}</th>
              <th scope="col">{t("preferences.sound")}</th>
              <th scope="col">{t("preferences.push")}</th>
              <th scope="col">{t("preferences.email")}</th>
            </tr>
          </thead>
          <tbody>
            {choices.filter((choice) => theirs.has(choice.type)).map((choice) => {
              const key = typeKey(choice.type);
              const name = key ? t(key) : choice.type;
              return (
                <tr key={choice.type} data-type={choice.type}>
                  <th scope="row" title={descriptions.get(choice.type)}>
                    {name}
                  </th>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${t("preferences.inApp")}: ${name}`}
                      checked={choice.inApp}
                      onChange={(e) => changeChoice(choice.type, { inApp: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${t("preferences.sound")}: ${name}`}
                      checked={choice.sound}
                      disabled={!choice.inApp}
                      onChange={(e) => changeChoice(choice.type, { sound: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${t("preferences.push")}: ${name}`}
                      checked={choice.push}
                      disabled={!choice.inApp}
                      onChange={(e) => changeChoice(choice.type, { push: e.target.checked })}
                    />
                  </td>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`${t("preferences.email")}: ${name}`}
                      checked={choice.email}
                      disabled={!choice.inApp || !emailing}
                      onChange={(e) => changeChoice(choice.type, { email: e.target.checked })}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {data && !emailing && <p className="hint">{t("preferences.noEmail")}</p>}
        <div className="preference-fields">
          <label>
            {t("preferences.quietStart")}
            <input type="time" value={quietStart} onChange={(e) => setQuietStart(e.target.value)} />
          </label>
          <label>
            {t("preferences.quietEnd")}
            <input type="time" value={quietEnd} onChange={(e) => setQuietEnd(e.target.value)} />
          </label>
          <label>
            {t("preferences.timeZone")}
            <input value={timeZone} placeholder="America/Sao_Paulo" onChange={(e) => setTimeZone(e.target.value)} />
          </label>
          <label>
            <input type="checkbox" checked={urgentPasses} onChange={(e) => setUrgentPasses(e.target.checked)} />
            {t("preferences.urgentPasses")}
          </label>
          <label>
            {t("preferences.maxPerMinute")}
            <input
              type="number"
              min={1}
              max={120}
              value={maxPerMinute}
              onChange={(e) => setMaxPerMinute(e.target.value)}
            />
          </label>
          <label>
            {t("preferences.volume")}
            <input
              type="range"
              min={0}
              max={100}
              step={5}
              value={volume}
              onChange={(e) => setVolume(Number(e.target.value))}
            />
          </label>
          <button type="button" onClick={tryTone}>
            {t("preferences.tryTone")}
          </button>
        </div>
        <Problem text={problem} />
        <button type="submit">{t("preferences.save")}</button>
        {saved && (
          <p className="hint" role="status">
            {t("preferences.saved")}
          </p>
        )}
      </form>
      <BrowserPush />
    </main>
  );
}
