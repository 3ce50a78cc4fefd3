import { describe, expect, it } from "vitest";
import type { MessageFieldsFragment } from "../gql/graphql";
import { withLabel, withoutLabel } from "./labels";
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
