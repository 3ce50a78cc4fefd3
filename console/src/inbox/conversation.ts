import type { ConversationChangeFragment, ConversationSummaryFragment } from "../gql/graphql";

/** The conversation as PyTake answered a change of it (ConversationChangeSuccess): the answer is
 * newer than any read that started before it was given. */
export function withAnswer(
  conversation: ConversationSummaryFragment | null,
  change: ConversationChangeFragment,
): ConversationSummaryFragment | null {
  if (conversation?.id !== change.conversationId) return conversation;
  return {
    ...conversation,
    status: change.status,
    unreadCount: change.unreadCount,
    labels: [...change.labels],
  };
}
