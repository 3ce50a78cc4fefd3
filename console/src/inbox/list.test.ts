import { describe, expect, it } from "vitest";
import type { ConversationSummaryFragment } from "../gql/graphql";
import { decodeAssigned, encodeAssigned, NO_FILTER, withChange } from "./list";

function conversation(id: string, lastMessageAt: string, overrides: Partial<ConversationSummaryFragment> = {}) {
  return {
    id,
    status: "OPEN",
    unreadCount: 0,
    labels: [],
    windowOpen: true,
    windowExpiresAt: null,
    lastMessageAt,
    updatedAt: lastMessageAt,
    owner: "NOBODY",
    contact: { id: `c-${id}`, waId: "5511999990000", userId: null, profileName: id, username: null },
    assignee: null,
    queue: null,
    lastMessage: null,
    ...overrides,
  } as ConversationSummaryFragment;
}

const ids = (list: ConversationSummaryFragment[]) => list.map((c) => c.id);

describe("the inbox list under live changes", () => {
  const list = [
    conversation("c", "2026-12-03T10:03:00+00:00"),
    conversation("b", "2026-12-03T10:02:00+00:00"),
    conversation("a", "2026-12-03T10:01:00+00:00"),
  ];

  it("moves a conversation with a new message to the top", () => {
    const changed = conversation("a", "2026-12-03T10:04:00+00:00", { unreadCount: 1 });
    const after = withChange(list, "a", changed, NO_FILTER, "me");
    expect(ids(after)).toEqual(["a", "c", "b"]);
    expect(after[0]?.unreadCount).toBe(1);
  });

  it("adds a new conversation where its activity places it", () => {
    const after = withChange(list, "n", conversation("n", "2026-12-03T10:02:30+00:00"), NO_FILTER, "me");
    expect(ids(after)).toEqual(["c", "n", "b", "a"]);
  });

  it("drops a conversation that no longer matches the filter", () => {
    const unreadOnly = { ...NO_FILTER, unreadOnly: true };
    const unread = list.map((c) => ({ ...c, unreadCount: 2 }));
    const read = { ...unread[1]!, unreadCount: 0 };
    expect(ids(withChange(unread, "b", read, unreadOnly, "me"))).toEqual(["c", "a"]);
  });

  it("keeps only my conversations under 'mine'", () => {
    const mine = { ...NO_FILTER, assigned: "mine" as const };
    const toOther = conversation("x", "2026-12-03T10:05:00+00:00", { assignee: { id: "other", name: "O" } });
    const toMe = conversation("y", "2026-12-03T10:06:00+00:00", { assignee: { id: "me", name: "M" } });
    expect(ids(withChange(list, "x", toOther, mine, "me"))).toEqual(["c", "b", "a"]);
    expect(ids(withChange(list, "y", toMe, mine, "me"))[0]).toBe("y");
  });

  it("follows one agent's conversations, or one queue's, as they move", () => {
    const bias = { ...NO_FILTER, assigned: { agentId: "bia" } };
    const toBia = conversation("x", "2026-12-03T10:05:00+00:00", { assignee: { id: "bia", name: "Bia" } });
    const awayFromBia = conversation("b", "2026-12-03T10:06:00+00:00", { assignee: { id: "caio", name: "Caio" } });
    expect(ids(withChange(list, "x", toBia, bias, "me"))[0]).toBe("x");
    expect(ids(withChange(list, "b", awayFromBia, bias, "me"))).toEqual(["c", "a"]);

    const support = { ...NO_FILTER, queueId: "support" };
    const intoSupport = conversation("s", "2026-12-03T10:07:00+00:00", { queue: { id: "support", name: "Support" } });
    const intoBilling = conversation("a", "2026-12-03T10:08:00+00:00", { queue: { id: "billing", name: "Billing" } });
    expect(ids(withChange(list, "s", intoSupport, support, "me"))[0]).toBe("s");
    expect(ids(withChange(list, "a", intoBilling, support, "me"))).toEqual(["c", "b"]);
  });

  it("keeps the assignee choice through a select's value", () => {
    for (const choice of ["all", "mine", "unassigned", { agentId: "u-1" }] as const) {
      expect(decodeAssigned(encodeAssigned(choice))).toEqual(choice);
    }
    expect(decodeAssigned("agent:")).toBe("all");
    expect(decodeAssigned("whatever")).toBe("all");
  });

  it("does not add an unlisted conversation to a search PyTake answered", () => {
    const searched = { ...NO_FILTER, search: "maria" };
    const after = withChange(list, "n", conversation("n", "2026-12-03T10:09:00+00:00"), searched, "me");
    expect(ids(after)).toEqual(["c", "b", "a"]);
  });

  it("drops a conversation that can no longer be read", () => {
    expect(ids(withChange(list, "b", null, NO_FILTER, "me"))).toEqual(["c", "a"]);
  });
});
