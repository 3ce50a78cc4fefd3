import type { MessageFieldsFragment, MessageStatus } from "../gql/graphql";

/** Where a status stands in a message's life: a late "delivered" never undoes a "read". */
const PROGRESS: Record<MessageStatus, number> = {
  PENDING: 0,
  SENT: 1,
  DELIVERED: 2,
  READ: 3,
  PLAYED: 4,
  FAILED: 5,
};

export function withStatus(
  messages: readonly MessageFieldsFragment[],
  messageId: string,
  status: MessageStatus,
): MessageFieldsFragment[] {
  return messages.map((m) =>
    m.id === messageId && PROGRESS[status] > PROGRESS[m.status] ? { ...m, status } : m,
  );
}

/** Messages by id, the fresher copy winning, in PyTake's order (sent time, then id). */
export function mergeMessages(
  current: readonly MessageFieldsFragment[],
  incoming: readonly MessageFieldsFragment[],
): MessageFieldsFragment[] {
  const byId = new Map(current.map((m) => [m.id, m]));
  for (const message of incoming) {
    const known = byId.get(message.id);
    byId.set(
      message.id,
      known && PROGRESS[known.status] > PROGRESS[message.status] ? { ...message, status: known.status } : message,
    );
  }
  return [...byId.values()].sort(
    (a, b) => a.sentAt.localeCompare(b.sentAt) || a.id.localeCompare(b.id),
  );
}

const EXCERPT_LENGTH = 80;

/** One line that tells which message a reply quotes, as WhatsApp shows above the reply; null
 * when the content has no words of its own (the bubble names its kind instead). */
export function excerpt(content: MessageFieldsFragment["content"]): string | null {
  const words = (() => {
    switch (content.__typename) {
      case "TextContent":
        return content.body;
      case "MediaContent":
        return content.caption ?? content.filename ?? null;
      case "TemplateContent":
        return content.text ?? content.templateName;
      case "InteractiveContent":
        return content.body;
      case "InteractiveReplyContent":
        return content.title;
      case "QuickReplyContent":
      case "SystemContent":
      case "OrderContent":
        return content.text ?? null;
      case "LocationContent":
        return content.placeName ?? content.address ?? null;
      default:
        return null;
    }
  })();
  if (!words) return null;
  const line = words.replace(/\s+/g, " ").trim();
  return line.length > EXCERPT_LENGTH ? `${line.slice(0, EXCERPT_LENGTH - 1)}…` : line;
}
