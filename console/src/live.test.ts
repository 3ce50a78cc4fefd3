import type { FormattedExecutionResult, Sink } from "graphql-ws";
import { describe, expect, it } from "vitest";
import { endingFor, ResumableStream } from "./live";

type Result = FormattedExecutionResult<Record<string, unknown>, unknown>;

/** A graphql-ws client double that records what each subscription was sent with, the way the
 * real client re-sends a payload object when it reconnects. */
class RecordingConnection {
  readonly subscriptions: { sent: string; sink: Sink<Result> }[] = [];
  subscribe<Data>(payload: unknown, sink: Sink<FormattedExecutionResult<Data, unknown>>): () => void {
    this.subscriptions.push({ sent: JSON.stringify(payload), sink: sink as unknown as Sink<Result> });
    return () => undefined;
  }
  get last() {
    return this.subscriptions[this.subscriptions.length - 1]!;
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

function stream(connection: RecordingConnection, received: string[], reconnect = async () => true) {
  return new ResumableStream<{ eventId: string }>(
    connection,
    "subscription { messageReceived { eventId } }",
    { conversationId: "c1" },
    "messageReceived",
    { event: (e) => received.push(e.eventId) },
    reconnect,
    async () => "40",
    async () => undefined,
  );
}

describe("a resumable stream", () => {
  it("starts from the organization's newest event, before any event reached it", async () => {
    const connection = new RecordingConnection();
    await stream(connection, []).start();
    expect(JSON.parse(connection.last.sent).variables).toEqual({ conversationId: "c1", after: "40" });
  });

  it("moves its cursor to each event, so the client's automatic re-send asks for what was missed", async () => {
    const connection = new RecordingConnection();
    const received: string[] = [];
    const subject = stream(connection, received);
    await subject.start();
    connection.last.sink.next({ data: { messageReceived: { eventId: "41" } } });
    connection.last.sink.next({ data: { messageReceived: { eventId: "44" } } });
    expect(received).toEqual(["41", "44"]);
    expect(subject.payload.variables.after).toBe("44");
  });

  it("ignores an event it already has", async () => {
    const connection = new RecordingConnection();
    const received: string[] = [];
    await stream(connection, received).start();
    connection.last.sink.next({ data: { messageReceived: { eventId: "41" } } });
    connection.last.sink.next({ data: { messageReceived: { eventId: "41" } } });
    expect(received).toEqual(["41"]);
  });

  it("renews the token and resubscribes from its last event when the token expired", async () => {
    const connection = new RecordingConnection();
    let renewals = 0;
    await stream(connection, [], async () => {
      renewals += 1;
      return true;
    }).start();
    connection.last.sink.next({ data: { messageReceived: { eventId: "41" } } });
    connection.last.sink.next({ data: null, errors: [{ message: "expired", extensions: { code: "TOKEN_EXPIRED" } }] });
    connection.last.sink.complete();
    await settle();
    expect(renewals).toBe(1);
    expect(connection.subscriptions).toHaveLength(2);
    expect(JSON.parse(connection.last.sent).variables.after).toBe("41");
  });

  it("stays stopped when the renewal finds the user signed out", async () => {
    const connection = new RecordingConnection();
    await stream(connection, [], async () => false).start();
    connection.last.sink.next({ data: null, errors: [{ message: "changed", extensions: { code: "ACCESS_CHANGED" } }] });
    connection.last.sink.complete();
    await settle();
    expect(connection.subscriptions).toHaveLength(1);
  });
});

describe("how a stream's end is handled", () => {
  it.each([
    ["TOKEN_EXPIRED", "renew"],
    ["ACCESS_CHANGED", "renew"],
    ["EVENTS_EXPIRED", "restart-from-now"],
    ["EVENT_STREAM_INTERRUPTED", "resume"],
    ["FORBIDDEN", "retry-later"],
  ])("%s → %s", (code, ending) => {
    expect(endingFor(code)).toBe(ending);
  });
});
