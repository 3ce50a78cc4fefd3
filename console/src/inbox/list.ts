// The inbox list as the agent sees it: PyTake's order (most recent activity first) kept while
// live events change, add and drop conversations.
import type { ConversationSummaryFragment, ConversationStatus } from "../gql/graphql";

/** Everyone's, the caller's, nobody's, or one agent's (by user id). */
export type Assigned = "all" | "mine" | "unassigned" | { agentId: string };

export interface InboxFilter {
  status: ConversationStatus | null;
  queueId: string | null;
  assigned: Assigned;
  unreadOnly: boolean;
  search: string;
}

export const NO_FILTER: InboxFilter = {
  status: null,
  queueId: null,
  assigned: "all",
  unreadOnly: false,
  search: "",
};

/** The assignee PyTake is asked to match, if any. */
export function assigneeOf(assigned: Assigned, myId: string): string | null {
  if (assigned === "mine") return myId;
  return typeof assigned === "object" ? assigned.agentId : null;
}

/** A select's value for each choice, and back. */
export function encodeAssigned(assigned: Assigned): string {
  return typeof assigned === "object" ? `agent:${assigned.agentId}` : assigned;
}

export function decodeAssigned(value: string): Assigned {
  if (value === "mine" || value === "unassigned") return value;
  if (value.startsWith("agent:") && value.length > "agent:".length) {
    return { agentId: value.slice("agent:".length) };
  }
  return "all";
}

/** Whether a conversation belongs in the list; a search is PyTake's to answer, so a live change
 * keeps a searched conversation only while it is already listed. */
export function belongs(
  conversation: ConversationSummaryFragment,
  filter: InboxFilter,
  myId: string,
  listed: boolean,
): boolean {
  if (filter.status && conversation.status !== filter.status) return false;
  if (filter.queueId && conversation.queue?.id !== filter.queueId) return false;
  const assignee = assigneeOf(filter.assigned, myId);
  if (assignee && conversation.assignee?.id !== assignee) return false;
  if (filter.assigned === "unassigned" && conversation.assignee) return false;
  if (filter.unreadOnly && conversation.unreadCount === 0) return false;
  if (filter.search.trim() && !listed) return false;
  return true;
}

/** PyTake writes every time in UTC with the same ISO format, so they compare as strings. */
function activity(conversation: ConversationSummaryFragment): string {
  return conversation.lastMessageAt ?? "";
}

export function newestFirst(a: ConversationSummaryFragment, b: ConversationSummaryFragment): number {
  const byActivity = activity(b).localeCompare(activity(a));
  return byActivity !== 0 ? byActivity : b.id.localeCompare(a.id);
}

/** The list after a conversation changed: updated in place, moved to its new position, added
 * when it now belongs, dropped when it no longer does (or was not found). */
export function withChange(
  list: readonly ConversationSummaryFragment[],
  id: string,
  changed: ConversationSummaryFragment | null,
  filter: InboxFilter,
  myId: string,
): ConversationSummaryFragment[] {
  const listed = list.some((c) => c.id === id);
  const others = list.filter((c) => c.id !== id);
  if (!changed || !belongs(changed, filter, myId, listed)) return others;
  const index = others.findIndex((c) => newestFirst(changed, c) < 0);
  if (index === -1) {
    return [...others, changed];
  }
  return [...others.slice(0, index), changed, ...others.slice(index)];
}
