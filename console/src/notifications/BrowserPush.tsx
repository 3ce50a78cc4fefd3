import { useEffect, useState } from "react";
import { useMutation, useQuery } from "urql";
import { Problem, reasonOf } from "../Problem";
import { applicationServerKey } from "../push/keys";
import { useNotificationText } from "./messages";
import { PUSH_STATE, PUSH_SUBSCRIBE, PUSH_UNSUBSCRIBE } from "./operations";

type State = "checking" | "unsupported" | "denied" | "off" | "on";

export const SERVICE_WORKER = "/service-worker.js";

function supported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** Web Push for this browser: subscribes it with PyTake's VAPID key and tells PyTake where to
 * push, or undoes both. */
export function BrowserPush() {
  const t = useNotificationText();
  const [{ data }, reread] = useQuery({ query: PUSH_STATE, requestPolicy: "network-only" });
  const [, subscribe] = useMutation(PUSH_SUBSCRIBE);
  const [, unsubscribe] = useMutation(PUSH_UNSUBSCRIBE);
  const [state, setState] = useState<State>("checking");
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!data) return;
    if (!supported()) {
      setState("unsupported");
      return;
    }
    if (Notification.permission === "denied") {
      setState("denied");
      return;
    }
    void (async () => {
      const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER);
      const subscription = await registration?.pushManager.getSubscription();
      const known = data.pushSubscriptions.some((s) => s.endpoint === subscription?.endpoint);
      setState(subscription && known ? "on" : "off");
    })();
  }, [data]);

  async function turnOn() {
    if (!data) return;
    setProblem(null);
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        setState("denied");
        return;
      }
      const registration = await navigator.serviceWorker.register(SERVICE_WORKER);
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: applicationServerKey(data.notificationChannels.webPushPublicKey),
      });
      const keys = subscription.toJSON().keys ?? {};
      const result = await subscribe({
        input: {
          endpoint: subscription.endpoint,
          p256dh: keys.p256dh ?? "",
          auth: keys.auth ?? "",
          userAgent: navigator.userAgent.slice(0, 300),
        },
      });
      if (result.data?.pushSubscriptionAdd.__typename !== "PushSubscriptionAddSuccess") {
        setProblem(reasonOf(result.data?.pushSubscriptionAdd, result.error));
        return;
      }
      setState("on");
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  }

  async function turnOff() {
    setProblem(null);
    const registration = await navigator.serviceWorker.getRegistration(SERVICE_WORKER);
    const subscription = await registration?.pushManager.getSubscription();
    if (subscription) {
      await unsubscribe({ input: { endpoint: subscription.endpoint } });
      await subscription.unsubscribe();
    }
    setState("off");
    reread({ requestPolicy: "network-only" });
  }

  return (
    <section className="browser-push" aria-labelledby="browser-push-title">
      <h2 id="browser-push-title">{t("push.title")}</h2>
      <p className="hint">{t("push.explain")}</p>
      {state === "unsupported" && <p role="status">{t("push.unsupported")}</p>}
      {state === "denied" && <p role="status">{t("push.denied")}</p>}
      {state === "on" && (
        <>
          <p role="status">{t("push.on")}</p>
          <button type="button" onClick={() => void turnOff()}>
            {t("push.disable")}
          </button>
        </>
      )}
      {state === "off" && (
        <>
          <p role="status">{t("push.off")}</p>
          <button type="button" onClick={() => void turnOn()}>
            {t("push.enable")}
          </button>
        </>
      )}
      <Problem text={problem} />
    </section>
  );
}

/** A click on a pushed notification while the console is open: the Service Worker asks the
 * page to show the conversation, since only the page knows its own routes. */
export function useOpenFromPush() {
  useEffect(() => {
    if (!("serviceWorker" in navigator)) return;
    const follow = (event: MessageEvent) => {
      const message = event.data as { type?: unknown; url?: unknown } | null;
      if (message?.type !== "pytake.open" || typeof message.url !== "string") return;
      const target = new URL(message.url, window.location.origin);
      if (target.origin === window.location.origin) window.location.hash = target.hash;
    };
    navigator.serviceWorker.addEventListener("message", follow);
    return () => navigator.serviceWorker.removeEventListener("message", follow);
  }, []);
}
