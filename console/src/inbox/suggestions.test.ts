import { describe, expect, it } from "vitest";
import { matchingCanned, shortcutTyped, suggestionChosen } from "./suggestions";

const CANNED = [
  { shortcut: "pix", title: "Pix", body: "Aceitamos Pix." },
  { shortcut: "pix-chave", title: "Chave", body: "A chave é o CNPJ." },
  { shortcut: "horario", title: "Horário", body: "Das 9h às 18h." },
];

describe("the composer's suggestions", () => {
  it("reads a shortcut only while the whole text is one", () => {
    expect(shortcutTyped("/")).toBe("");
    expect(shortcutTyped("/Pix")).toBe("pix");
    expect(shortcutTyped("/pix ")).toBeNull();
    expect(shortcutTyped("pague com /pix")).toBeNull();
  });

  it("lists canned responses by the shortcut typed, the exact one first", () => {
    expect(matchingCanned(CANNED, "pix").map((c) => c.shortcut)).toEqual(["pix", "pix-chave"]);
    expect(matchingCanned(CANNED, "").map((c) => c.shortcut)).toEqual(["horario", "pix", "pix-chave"]);
    expect(matchingCanned(CANNED, "x")).toEqual([]);
  });

  it("inserts with one key: Tab in an empty composer, or Alt and its place", () => {
    expect(suggestionChosen("Tab", false, true, 3)).toBe(0);
    expect(suggestionChosen("Tab", false, false, 3)).toBeNull();
    expect(suggestionChosen("2", true, false, 3)).toBe(1);
    expect(suggestionChosen("4", true, true, 3)).toBeNull();
    expect(suggestionChosen("Tab", false, true, 0)).toBeNull();
    expect(suggestionChosen("a", true, true, 3)).toBeNull();
  });
});
