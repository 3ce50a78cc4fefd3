// The console's Service Worker: shows PyTake's Web Push notifications while the console's tab
// is in the background or closed, and opens the conversation when one is clicked. Built to
// /service-worker.js so that its scope is the whole console.
import { openedUrl, readPush, shownFor } from "./push/shown";

// The DOM library's types, not the WebWorker one's (they cannot share a program): just what
// this worker touches.
interface ExtendableEvent extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface PushEvent extends ExtendableEvent {
  data: { json(): unknown } | null;
}
interface NotificationEvent extends ExtendableEvent {
  notification: Notification & { data: unknown };
}
interface WindowClient {
  url: string;
  focus(): Promise<WindowClient>;
  postMessage(message: unknown): void;
}
interface WorkerScope {
  registration: ServiceWorkerRegistration;
  location: Location;
  clients: {
    matchAll(options: { type: "window"; includeUncontrolled: boolean }): Promise<readonly WindowClient[]>;
    openWindow(url: string): Promise<WindowClient | null>;
  };
  addEventListener(type: "push", listener: (event: PushEvent) => void): void;
  addEventListener(type: "notificationclick", listener: (event: NotificationEvent) => void): void;
}

const worker = self as unknown as WorkerScope;

worker.addEventListener("push", (event) => {
  let json: unknown = null;
  try {
    json = event.data?.json() ?? null;
  } catch {
    json = null;
  }
  const push = readPush(json);
  if (!push) return;
  const shown = shownFor(push);
  event.waitUntil(worker.registration.showNotification(shown.title, shown.options));
});

worker.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data as { url?: unknown } | null;
  const url = openedUrl(data?.url, worker.location.origin);
  event.waitUntil(
    (async () => {
      const [open] = await worker.clients.matchAll({ type: "window", includeUncontrolled: true });
      if (open) {
        // The open console follows the hash itself, without reloading.
        open.postMessage({ type: "pytake.open", url });
        await open.focus();
      } else {
        await worker.clients.openWindow(url);
      }
    })(),
  );
});
