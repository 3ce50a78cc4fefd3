import { describe, expect, it } from "vitest";
import { lexiconText, parsedLexicon } from "./lexicon";

describe("the organization's own words", () => {
  it("reads one term and its valence per line, a comma as decimal point too", () => {
    expect(parsedLexicon("fila infinita: -3\n\n  top demais : 2,5 ")).toEqual({
      entries: [
        { term: "fila infinita", valence: -3 },
        { term: "top demais", valence: 2.5 },
      ],
    });
  });

  it("names the first line it cannot read", () => {
    expect(parsedLexicon("ok: 1\nsem valor\nruim: -2")).toEqual({ badLine: "sem valor" });
  });

  it("writes what it reads back", () => {
    const entries = [{ term: "demora", valence: -2 }];
    expect(parsedLexicon(lexiconText(entries))).toEqual({ entries });
  });
});
