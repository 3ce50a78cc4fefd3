import { useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { chime, setChimeVolume } from "../chime";
import { useLive } from "../context";
import type { ConsoleNotificationFragment, NotificationCategory, NotificationSeverity } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Problem, reasonOf } from "../Problem";
import { useOpenFromPush } from "./BrowserPush";
import { type NotificationMessageKey, useNotificationText } from "./messages";
import { ARCHIVE, MARK_READ, NOTIFICATION_RECEIVED, NOTIFICATIONS, UNREAD_COUNT } from "./operations";

const TOAST_SECONDS = 8;
const CATEGORIES: readonly NotificationCategory[] = ["CONVERSATIONS", "QUEUES", "AI", "SYSTEM", "SECURITY"];
const SEVERITIES: readonly NotificationSeverity[] = ["INFO", "WARNING", "URGENT"];

/** The bell with the caller's unread count, the center it opens, and the toasts of
 * notifications announced as they arrive (with a tone where the person asked for one). */
export function NotificationBell() {
  const t = useNotificationText();
  useOpenFromPush();
  const [{ data }, reread] = useQuery({ query: UNREAD_COUNT, requestPolicy: "network-only" });
  const [count, setCount] = useState<number | null>(null);
  const [open, setOpen] = useState(false);
  const [toasts, setToasts] = useState<ConsoleNotificationFragment[]>([]);
  const [arrivals, setArrivals] = useState(0);
  useEffect(() => {
    if (!data) return;
    setCount(data.notificationUnreadCount);
    setChimeVolume(data.notificationPreferences.soundVolume);
  }, [data]);
  useLive(NOTIFICATION_RECEIVED, {}, "notificationReceived", {
    event: (event) => {
      setCount(event.unreadCount);
      setArrivals((n) => n + 1);
      if (!event.notification.announced) return;
      setToasts((shown) => [event.notification, ...shown].slice(0, 3));
      if (event.notification.sound) chime();
    },
    gap: () => reread({ requestPolicy: "network-only" }),
  }, "notifications");
  const shown = count ?? 0;
  return (
    <div className="bell">
      <button
        type="button"
        className="bell__button"
        aria-expanded={open}
        aria-label={t("bell", { count: shown })}
        onClick={() => setOpen(!open)}
      >
        <span aria-hidden="true">🔔</span>
        {shown > 0 && <span className="bell__count" data-unread={shown}>{shown}</span>}
      </button>
      {open && <NotificationCenter arrivals={arrivals} onCount={setCount} onClose={() => setOpen(false)} />}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((toast) => (
          <Toast key={toast.id} notification={toast} onDone={() => setToasts((all) => all.filter((n) => n.id !== toast.id))} />
        ))}
      </div>
    </div>
  );
}

function Toast({ notification, onDone }: { notification: ConsoleNotificationFragment; onDone: () => void }) {
  const t = useNotificationText();
  useEffect(() => {
    const timer = setTimeout(onDone, TOAST_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [onDone]);
  return (
    <div className={`toast toast--${notification.severity.toLowerCase()}`} data-notification={notification.type}>
      {notification.conversationId ? (
        <a href={`#/conversations/${notification.conversationId}`} onClick={onDone}>
          {notification.subject}
        </a>
      ) : (
        <span>{notification.subject}</span>
      )}
      <button type="button" aria-label={t("toast.close")} onClick={onDone}>
        ×
      </button>
    </div>
  );
}

function NotificationCenter({
  arrivals,
  onCount,
  onClose,
}: {
  arrivals: number;
  onCount: (count: number) => void;
  onClose: () => void;
}) {
  const t = useNotificationText();
  const { locale } = useI18n();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [category, setCategory] = useState<NotificationCategory | "">("");
  const [severity, setSeverity] = useState<NotificationSeverity | "">("");
  const [{ data }, reread] = useQuery({
    query: NOTIFICATIONS,
    variables: {
      filter: { unreadOnly, category: category || null, severity: severity || null },
    },
    requestPolicy: "network-only",
  });
  const [, markRead] = useMutation(MARK_READ);
  const [, archive] = useMutation(ARCHIVE);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (arrivals) reread({ requestPolicy: "network-only" });
  }, [arrivals, reread]);
  const time = new Intl.DateTimeFormat(locale, { dateStyle: "short", timeStyle: "short" });
  const notifications = data?.notifications.edges.map((edge) => edge.node) ?? [];

  function settle(unread: number | null, payload: object | null | undefined, error: { message: string } | undefined) {
    if (unread === null) {
      setProblem(reasonOf(payload, error));
      return;
    }
    onCount(unread);
    setProblem(null);
    reread({ requestPolicy: "network-only" });
  }

  async function read(ids: string[] | null) {
    const result = await markRead({ input: ids ? { ids } : { all: true } });
    const payload = result.data?.notificationMarkRead;
    settle(payload?.__typename === "NotificationMarkReadSuccess" ? payload.unreadCount : null, payload, result.error);
  }

  async function archived(id: string) {
    const result = await archive({ input: { ids: [id] } });
    const payload = result.data?.notificationArchive;
    settle(payload?.__typename === "NotificationArchiveSuccess" ? payload.unreadCount : null, payload, result.error);
  }

  return (
    <section className="notification-center" aria-label={t("center.title")}>
      <header>
        <h2>{t("center.title")}</h2>
        <a href="#/notifications" onClick={onClose}>
          {t("center.preferences")}
        </a>
      </header>
      <div className="notification-center__filters">
        <label>
          <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.target.checked)} />
          {t("center.unreadOnly")}
        </label>
        <label>
          {t("center.category")}
          <select value={category} onChange={(e) => setCategory(e.target.value as NotificationCategory | "")}>
            <option value="">{t("center.any")}</option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {t(`category.${c}` as NotificationMessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("center.severity")}
          <select value={severity} onChange={(e) => setSeverity(e.target.value as NotificationSeverity | "")}>
            <option value="">{t("center.any")}</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}` as NotificationMessageKey)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => void read(null)}>
          {t("center.markAllRead")}
        </button>
      </div>
      <Problem text={problem} />
      {data && notifications.length === 0 && <p className="hint">{t("center.none")}</p>}
      <ul>
        {notifications.map((notification) => (
          <li
            key={notification.id}
            data-notification={notification.type}
            data-read={notification.readAt ? "yes" : "no"}
            className={`notification notification--${notification.severity.toLowerCase()}`}
          >
            <span className="notification__subject">
              {notification.conversationId ? (
                <a href={`#/conversations/${notification.conversationId}`} onClick={onClose}>
                  {notification.subject}
                </a>
              ) : (
                notification.subject
              )}
            </span>
            <span className="notification__meta">
              {t(`category.${notification.category}` as NotificationMessageKey)} ·{" "}
              {t(`severity.${notification.severity}` as NotificationMessageKey)} ·{" "}
              {time.format(new Date(notification.createdAt))}
              {notification.heldBecause &&
                ` · ${t("center.held", { reason: t(`held.${notification.heldBecause}` as NotificationMessageKey) })}`}
            </span>
            {!notification.readAt && (
              <button type="button" onClick={() => void read([notification.id])}>
                {t("center.markRead")}
              </button>
            )}
            <button type="button" onClick={() => void archived(notification.id)}>
              {t("center.archive")}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
