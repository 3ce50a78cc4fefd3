import { describe, expect, it } from "vitest";
import { parseRoute } from "./route";

describe("parseRoute", () => {
  it("opens a conversation, a queue or a flow from the address", () => {
    expect(parseRoute("#/conversations/3f2a-77")).toEqual({ page: "inbox", id: "3f2a-77" });
    expect(parseRoute("#/queues")).toEqual({ page: "queues", id: null });
    expect(parseRoute("#/queues/9c1e")).toEqual({ page: "queues", id: "9c1e" });
    expect(parseRoute("#/flows")).toEqual({ page: "flows", id: null });
    expect(parseRoute("#/flows/7d0b-1")).toEqual({ page: "flows", id: "7d0b-1" });
    expect(parseRoute("#/team")).toEqual({ page: "team", id: null });
    expect(parseRoute("#/onboarding")).toEqual({ page: "onboarding", id: null });
    expect(parseRoute("#/notifications")).toEqual({ page: "notifications", id: null });
    expect(parseRoute("#/settings/templates")).toEqual({ page: "settings", id: "templates" });
    expect(parseRoute("#/ai/intents")).toEqual({ page: "ai", id: "intents" });
    expect(parseRoute("#/invitations/Zx_9-a")).toEqual({ page: "invitation", id: "Zx_9-a" });
  });

  it("falls back to the inbox for anything else", () => {
    expect(parseRoute("")).toEqual({ page: "inbox", id: null });
    expect(parseRoute("#/")).toEqual({ page: "inbox", id: null });
    expect(parseRoute("#/queues/<script>")).toEqual({ page: "inbox", id: null });
  });
});
