import { describe, expect, it } from "vitest";
import { toolbarMove } from "./toolbar";

describe("moving within a toolbar from the keyboard", () => {
  it("moves one item with the arrows, wrapping at both ends", () => {
    expect(toolbarMove("ArrowRight", 0, 10)).toBe(1);
    expect(toolbarMove("ArrowRight", 9, 10)).toBe(0);
    expect(toolbarMove("ArrowLeft", 0, 10)).toBe(9);
    expect(toolbarMove("ArrowLeft", 5, 10)).toBe(4);
  });

  it("jumps to the first and last items with Home and End", () => {
    expect(toolbarMove("Home", 7, 10)).toBe(0);
    expect(toolbarMove("End", 2, 10)).toBe(9);
  });

  it("leaves every other key alone (Tab leaves the toolbar, Enter presses the item)", () => {
    expect(toolbarMove("Tab", 3, 10)).toBeNull();
    expect(toolbarMove("Enter", 3, 10)).toBeNull();
  });
});
