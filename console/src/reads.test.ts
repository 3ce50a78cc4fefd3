import { Client, fetchExchange } from "urql";
import { describe, expect, it } from "vitest";
import { CONVERSATION } from "./operations";
import { freshReader, readFresh } from "./reads";

function manualRead() {
  const started: Array<() => void> = [];
  const read = () => new Promise<void>((resolve) => started.push(resolve));
  return { started, read };
}

describe("a fresh reader", () => {
  it("reads once more after a read that changes interrupted, and only once", async () => {
    const { started, read } = manualRead();
    const reader = freshReader(read);
    const done = reader();
    void reader();
    void reader();
    expect(started).toHaveLength(1);
    started[0]!();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toHaveLength(2);
    started[1]!();
    await done;
    expect(started).toHaveLength(2);
  });

  it("reads again for a change after the last read ended", async () => {
    const { started, read } = manualRead();
    const reader = freshReader(read);
    const first = reader();
    started[0]!();
    await first;
    const second = reader();
    expect(started).toHaveLength(2);
    started[1]!();
    await second;
  });
});

/** A client whose server answers each request when the test says, with the status it held
 * when the request arrived, as PyTake answers a read with what was committed when it ran. */
function clientOfSlowServer() {
  const server = { status: "OPEN", requests: 0 };
  const waiting: Array<() => void> = [];
  const client = new Client({
    url: "http://pytake.test/graphql",
    exchanges: [fetchExchange],
    requestPolicy: "network-only",
    fetch: () => {
      server.requests += 1;
      const status = server.status;
      return new Promise<Response>((resolve) =>
        waiting.push(() =>
          resolve(
            new Response(JSON.stringify({ data: { conversation: { id: "c1", status } } }), {
              headers: { "content-type": "application/json" },
            }),
          ),
        ),
      );
    },
  });
  const answerNext = async () => {
    while (waiting.length === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    waiting.shift()!();
  };
  return { client, server, answerNext };
}

describe("a read of its own", () => {
  it("is answered with what PyTake holds after a change, not with an identical read started before it", async () => {
    const { client, server, answerNext } = clientOfSlowServer();
    const before = readFresh(client, CONVERSATION, { id: "c1" });
    await new Promise((resolve) => setTimeout(resolve, 1));
    server.status = "RESOLVED";
    const after = readFresh(client, CONVERSATION, { id: "c1" });
    await answerNext();
    await answerNext();
    expect((await before).data?.conversation?.status).toBe("OPEN");
    expect((await after).data?.conversation?.status).toBe("RESOLVED");
    expect(server.requests).toBe(2);
  });
});
