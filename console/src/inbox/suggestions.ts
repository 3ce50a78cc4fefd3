// What the composer offers: the top reply suggestions for the customer's latest text, and the
// canned responses a "/shortcut" names. Pure, so the keys and matching are tested without a
// browser.

export interface Canned {
  shortcut: string;
  title: string;
  body: string;
}

const SHORTCUT_TYPED = /^\/([a-z0-9_-]*)$/;

/** The shortcut being typed when the whole text is "/" and a partial shortcut, else null. */
export function shortcutTyped(text: string): string | null {
  return SHORTCUT_TYPED.exec(text.toLowerCase())?.[1] ?? null;
}

/** Canned responses whose shortcut starts with what was typed, exact match first. */
export function matchingCanned(canned: readonly Canned[], typed: string, limit = 6): Canned[] {
  return canned
    .filter((candidate) => candidate.shortcut.startsWith(typed))
    .sort(
      (a, b) =>
        Number(b.shortcut === typed) - Number(a.shortcut === typed) || a.shortcut.localeCompare(b.shortcut),
    )
    .slice(0, limit);
}

/** Which suggestion a key inserts: Tab in an empty composer takes the first, Alt+1 to Alt+9
 * the one at that place; null for any other key. */
export function suggestionChosen(
  key: string,
  altKey: boolean,
  composerEmpty: boolean,
  count: number,
): number | null {
  if (count === 0) return null;
  if (key === "Tab" && !altKey && composerEmpty) return 0;
  if (altKey && /^[1-9]$/.test(key)) {
    const index = Number(key) - 1;
    return index < count ? index : null;
  }
  return null;
}
