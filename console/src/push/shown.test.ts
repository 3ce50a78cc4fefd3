import { describe, expect, it } from "vitest";
import { applicationServerKey } from "./keys";
import { openedUrl, readPush, shownFor } from "./shown";

const PUSH = {
  id: "n-1",
  type: "conversation_assigned",
  severity: "info",
  title: "Acme",
  body: "Conversa com Ana atribuída a você",
  conversationId: "c-1",
  url: "/#/conversations/c-1",
};

describe("a pushed notification", () => {
  it("is shown with the organization as title, once per notification", () => {
    const push = readPush(PUSH);
    expect(push).not.toBeNull();
    expect(shownFor(push!)).toEqual({
      title: "Acme",
      options: { body: PUSH.body, tag: "n-1", requireInteraction: false, data: { url: PUSH.url } },
    });
  });

  it("stays on screen when urgent", () => {
    expect(shownFor(readPush({ ...PUSH, severity: "urgent" })!).options.requireInteraction).toBe(true);
  });

  it("that is not PyTake's is not shown", () => {
    expect(readPush("hello")).toBeNull();
    expect(readPush({ id: "x" })).toBeNull();
  });
});

describe("a click", () => {
  it("opens the conversation on PyTake's own origin only", () => {
    expect(openedUrl("/#/conversations/c-1", "https://pytake.example")).toBe(
      "https://pytake.example/#/conversations/c-1",
    );
    expect(openedUrl("https://evil.example/", "https://pytake.example")).toBe("https://pytake.example/");
    expect(openedUrl(undefined, "https://pytake.example")).toBe("https://pytake.example/");
  });
});

describe("the application server key", () => {
  it("is decoded from base64url", () => {
    expect(Array.from(applicationServerKey("AQID_-8"))).toEqual([1, 2, 3, 255, 239]);
  });
});
