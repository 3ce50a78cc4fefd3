import { describe, expect, it } from "vitest";
import { ReadOrder } from "./reads";

describe("overlapping reads", () => {
  it("never show an answer older than one already shown", () => {
    const order = new ReadOrder();
    const shown: string[] = [];
    const first = order.begin();
    const second = order.begin();
    second(() => shown.push("second"));
    first(() => shown.push("first"));
    expect(shown).toEqual(["second"]);
  });

  it("show answers that arrive in order, each one", () => {
    const order = new ReadOrder();
    const shown: number[] = [];
    for (const n of [1, 2, 3]) order.begin()(() => shown.push(n));
    expect(shown).toEqual([1, 2, 3]);
  });
});
