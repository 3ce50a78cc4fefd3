import { describe, expect, it } from "vitest";
import { placeholdersOf } from "./TemplatesPage";

describe("a template body's placeholders", () => {
  it("are its {{n}} in numeric order, each once", () => {
    expect(placeholdersOf("Hi {{1}}, order {{2}} ships {{ 10 }}; thanks {{1}}")).toEqual(["1", "2", "10"]);
    expect(placeholdersOf("No placeholder")).toEqual([]);
  });
});
