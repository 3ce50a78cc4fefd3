import { useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useI18n } from "../i18n";
import { useNotificationText } from "./messages";
import { PREFERENCES, PREFERENCES_UPDATE } from "./operations";

const DURATIONS_MINUTES = [30, 60, 120, 480] as const;

/** Do-not-disturb for a while: nothing is announced until it ends (urgent ones if the person
 * lets them through); the center still receives everything. */
export function DoNotDisturb() {
  const t = useNotificationText();
  const { locale } = useI18n();
  const [{ data }] = useQuery({ query: PREFERENCES });
  const [, update] = useMutation(PREFERENCES_UPDATE);
  const [until, setUntil] = useState<Date | null>(null);
  useEffect(() => {
    const stored = data?.notificationPreferences.doNotDisturbUntil;
    setUntil(stored && new Date(stored) > new Date() ? new Date(stored) : null);
  }, [data]);
  useEffect(() => {
    if (!until) return undefined;
    const timer = setTimeout(() => setUntil(null), until.getTime() - Date.now());
    return () => clearTimeout(timer);
  }, [until]);

  async function choose(minutes: number) {
    const next = minutes ? new Date(Date.now() + minutes * 60_000) : null;
    const result = await update({
      input: next ? { doNotDisturbUntil: next.toISOString() } : { endDoNotDisturb: true },
    });
    if (result.data?.notificationPreferencesUpdate.__typename === "NotificationPreferencesUpdateSuccess") {
      setUntil(next);
    }
  }

  const time = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
  return (
    <label className="do-not-disturb" data-on={until ? "yes" : "no"}>
      {until ? t("dnd.until", { time: time.format(until) }) : t("dnd.label")}
      <select value="" onChange={(e) => void choose(Number(e.target.value))}>
        <option value="" disabled>
          …
        </option>
        <option value="0">{t("dnd.off")}</option>
        {DURATIONS_MINUTES.map((minutes) => (
          <option key={minutes} value={minutes}>
            {minutes < 60 ? t("dnd.minutes", { minutes }) : t("dnd.hours", { hours: minutes / 60 })}
          </option>
        ))}
      </select>
    </label>
  );
}
