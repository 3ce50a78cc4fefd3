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
