import { describe, expect, it } from "vitest";
import { freshReader } from "./reads";

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
