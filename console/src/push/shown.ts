// What the Service Worker shows for a push, and where a click on it goes: pure, so the unit
// tests read it without a browser.

/** The push's JSON, as PyTake encrypts it for the browser (domain/notifications/push.py). */
export interface PushedNotification {
  id: string;
  type: string;
  severity: "info" | "warning" | "urgent";
  title: string;
  body: string;
  conversationId: string | null;
  url: string;
}

export interface Shown {
  title: string;
  options: NotificationOptions & { data: { url: string } };
}

export function readPush(json: unknown): PushedNotification | null {
  if (typeof json !== "object" || json === null) return null;
  const push = json as Partial<PushedNotification>;
  if (typeof push.id !== "string" || typeof push.body !== "string" || typeof push.url !== "string") return null;
  return {
    id: push.id,
    type: String(push.type ?? ""),
    severity: push.severity === "urgent" || push.severity === "warning" ? push.severity : "info",
    title: typeof push.title === "string" && push.title ? push.title : "PyTake",
    body: push.body,
    conversationId: typeof push.conversationId === "string" ? push.conversationId : null,
    url: push.url,
  };
}

export function shownFor(push: PushedNotification): Shown {
  return {
    title: push.title,
    options: {
      body: push.body,
      // One per notification: a push delivered twice replaces itself instead of stacking.
      tag: push.id,
      // Urgent ones stay until the agent acts on them.
      requireInteraction: push.severity === "urgent",
      data: { url: push.url },
    },
  };
}

/** Only PyTake's own pages: a push cannot send the agent elsewhere. */
export function openedUrl(url: unknown, origin: string): string {
  if (typeof url !== "string") return `${origin}/`;
  const target = new URL(url, origin);
  return target.origin === origin ? target.href : `${origin}/`;
}
