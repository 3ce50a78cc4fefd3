import { describe, expect, it } from "vitest";
import type {
  ConversationChangeFragment,
  ConversationSummaryFragment,
  MessageFieldsFragment,
} from "../gql/graphql";
import { withAnswer } from "./conversation";
import { type LabelSaveOutcome, LabelSaves, withLabel, withoutLabel } from "./labels";
import { excerpt } from "./messages";

type Content = MessageFieldsFragment["content"];

describe("a conversation's labels", () => {
  it("adds a label trimmed, once, whatever its case", () => {
    expect(withLabel(["vip"], "  refund ")).toEqual(["vip", "refund"]);
    expect(withLabel(["VIP"], "vip")).toEqual(["VIP"]);
    expect(withLabel(["vip"], "   ")).toEqual(["vip"]);
  });

  it("removes exactly the label asked for", () => {
    expect(withoutLabel(["vip", "refund"], "vip")).toEqual(["refund"]);
  });
});

/** A conversation's labels as PyTake holds them, saved by hand: each save waits until the test
 * answers it, as a slow network would. `read` is what the console last read, which lags. */
function labelsOnServer(initial: string[]) {
  const server = { labels: initial, read: initial, saves: [] as string[][] };
  const answers: (() => void)[] = [];
  const shown: string[][] = [];
  const problems: (string | null)[] = [];
  let refuse: string | null = null;
  const saves = new LabelSaves(
    () => server.read,
    (labels) =>
      new Promise<LabelSaveOutcome>((resolve) => {
        server.saves.push(labels);
        answers.push(() => {
          if (refuse) return resolve({ problem: refuse });
          server.labels = labels;
          resolve({ labels });
        });
      }),
    (problem) => {
      problems.push(problem);
      shown.push(saves.shown);
    },
  );
  const answerNext = async () => {
    while (answers.length === 0) await Promise.resolve();
    answers.shift()!();
    await Promise.resolve();
  };
  return {
    server,
    saves,
    shown,
    problems,
    answerNext,
    refuseWith: (reason: string) => {
      refuse = reason;
    },
  };
}

describe("saving an agent's label edits", () => {
  it("builds each edit on PyTake's answer to the one before, not on a read that lags", async () => {
    const { server, saves, answerNext } = labelsOnServer([]);
    saves.edit({ add: "delivery" });
    expect(saves.shown).toEqual(["delivery"]);
    await answerNext();
    saves.edit({ add: "vip" });
    expect(saves.shown).toEqual(["delivery", "vip"]);
    saves.edit({ remove: "vip" });
    expect(saves.saving).toBe(true);
    await answerNext();
    await answerNext();
    await saves.settled;
    expect(saves.saving).toBe(false);
    expect(server.saves).toEqual([["delivery"], ["delivery", "vip"], ["delivery"]]);
    expect(server.labels).toEqual(["delivery"]);
  });

  it("shows every unsaved edit at once, on the labels last known", () => {
    const { server, saves } = labelsOnServer(["refund"]);
    saves.edit({ add: "vip" });
    saves.edit({ remove: "refund" });
    expect(saves.shown).toEqual(["vip"]);
    expect(server.saves).toEqual([]);
  });

  it("builds on a change someone else made once its own saves are done", async () => {
    const { server, saves, answerNext } = labelsOnServer([]);
    saves.edit({ add: "vip" });
    await answerNext();
    await saves.settled;
    server.read = ["vip", "from-supervisor"];
    saves.edit({ add: "delivery" });
    await answerNext();
    await saves.settled;
    expect(server.saves.at(-1)).toEqual(["vip", "from-supervisor", "delivery"]);
  });

  it("sends nothing for an edit that changes nothing", async () => {
    const { server, saves } = labelsOnServer(["VIP"]);
    saves.edit({ add: " vip " });
    saves.edit({ remove: "refund" });
    await saves.settled;
    expect(server.saves).toEqual([]);
    expect(saves.shown).toEqual(["VIP"]);
  });

  it("drops a refused edit, says why, and still saves the edits after it", async () => {
    const { server, saves, problems, answerNext, refuseWith } = labelsOnServer(["refund"]);
    refuseWith("labels: at most 20");
    saves.edit({ add: "vip" });
    saves.edit({ remove: "refund" });
    await answerNext();
    expect(problems.at(-1)).toBe("labels: at most 20");
    expect(saves.shown).toEqual([]);
    refuseWith("");
    await answerNext();
    await saves.settled;
    expect(server.saves).toEqual([["refund", "vip"], []]);
    expect(problems.at(-1)).toBeNull();
    expect(server.labels).toEqual([]);
  });
});

describe("a conversation after PyTake answers a change of it", () => {
  const conversation = {
    id: "c1",
    status: "OPEN",
    unreadCount: 2,
    labels: ["vip"],
  } as unknown as ConversationSummaryFragment;

  it("takes the answer's status, unread count and labels", () => {
    expect(
      withAnswer(conversation, { conversationId: "c1", status: "RESOLVED", unreadCount: 0, labels: [] }),
    ).toMatchObject({ id: "c1", status: "RESOLVED", unreadCount: 0, labels: [] });
  });

  it("ignores an answer about another conversation", () => {
    const other: ConversationChangeFragment = {
      conversationId: "c2",
      status: "RESOLVED",
      unreadCount: 0,
      labels: [],
    };
    expect(withAnswer(conversation, other)).toBe(conversation);
    expect(withAnswer(null, other)).toBeNull();
  });
});

describe("the excerpt a reply quotes", () => {
  it("is the message's words on one line, shortened past 80 characters", () => {
    expect(excerpt({ __typename: "TextContent", body: "My order\nhas not arrived" } as Content)).toBe(
      "My order has not arrived",
    );
    const long = excerpt({ __typename: "TextContent", body: "a".repeat(200) } as Content);
    expect(long).toHaveLength(80);
    expect(long?.endsWith("…")).toBe(true);
  });

  it("is a caption or file name for media, and nothing for media without words", () => {
    expect(
      excerpt({ __typename: "MediaContent", mediaType: "IMAGE", caption: "the box", filename: null } as Content),
    ).toBe("the box");
    expect(
      excerpt({ __typename: "MediaContent", mediaType: "DOCUMENT", caption: null, filename: "invoice.pdf" } as Content),
    ).toBe("invoice.pdf");
    expect(excerpt({ __typename: "MediaContent", mediaType: "STICKER", caption: null, filename: null } as Content)).toBe(
      null,
    );
  });
});
