// The organization's own words as a supervisor writes them: one "term: valence" per line.

export interface LexiconEntry {
  term: string;
  valence: number;
}

export function lexiconText(entries: readonly LexiconEntry[]): string {
  return entries.map((entry) => `${entry.term}: ${entry.valence}`).join("\n");
}

/** The entries of the text, or the first line that is not "term: number". */
export function parsedLexicon(text: string): { entries: LexiconEntry[] } | { badLine: string } {
  const entries: LexiconEntry[] = [];
  for (const line of text.split("\n").map((raw) => raw.trim())) {
    if (!line) continue;
    const match = /^(.+?)\s*:\s*(-?\d+(?:[.,]\d+)?)$/.exec(line);
    if (!match?.[1] || !match[2]) return { badLine: line };
    entries.push({ term: match[1], valence: Number(match[2].replace(",", ".")) });
  }
  return { entries };
}
