import type { ConversationStatus, ConversationSummaryFragment } from "../gql/graphql";

/** PyTake's answer to a change of a conversation made in the console (ConversationChangeSuccess). */
export interface ConversationChange {
  readonly conversationId: string;
  readonly status: ConversationStatus;
  readonly unreadCount: number;
  readonly labels: readonly string[];
}

/** The conversation as PyTake answered a change of it: the answer is newer than any read that
 * started before it was given. */
export function withChange(
  conversation: ConversationSummaryFragment | null,
  change: ConversationChange,
): ConversationSummaryFragment | null {
  if (conversation?.id !== change.conversationId) return conversation;
  return {
    ...conversation,
    status: change.status,
    unreadCount: change.unreadCount,
    labels: [...change.labels],
  };
}
