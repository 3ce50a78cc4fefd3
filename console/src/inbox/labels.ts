/** PyTake's limit for a label's length (ConversationLabelsSetInput). */
export const MAX_LABEL_LENGTH = 50;

/** The labels with one more, trimmed; unchanged when it is blank or already there (labels
 * differing only in case are one label to a person reading the list). */
export function withLabel(labels: readonly string[], label: string): string[] {
  const added = label.trim();
  if (!added || labels.some((known) => known.toLocaleLowerCase() === added.toLocaleLowerCase())) {
    return [...labels];
  }
  return [...labels, added];
}

export function withoutLabel(labels: readonly string[], label: string): string[] {
  return labels.filter((known) => known !== label);
}

/** What an agent did to the labels: an edit, not the list it produced, so it can be applied
 * again to a list that changed under it. */
export type LabelEdit = { readonly add: string } | { readonly remove: string };

export function edited(labels: readonly string[], edit: LabelEdit): string[] {
  return "add" in edit ? withLabel(labels, edit.add) : withoutLabel(labels, edit.remove);
}

/** PyTake's answer to a save: the labels it now holds, or why it refused. */
export type LabelSaveOutcome = { readonly labels: readonly string[] } | { readonly problem: string };

/** Saves an agent's label edits one after another. Each edit is applied to the labels PyTake
 * answered for the last save until the labels known from the conversation change (a read or
 * the answer itself reaching it), so an edit made before the conversation caught up with a
 * save never builds on a list that predates that save. What is shown is that base with every
 * unsaved edit. */
export class LabelSaves {
  private readonly unsaved: LabelEdit[] = [];
  private answered: { readonly labels: readonly string[]; readonly over: readonly string[] } | null =
    null;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly known: () => readonly string[],
    private readonly save: (labels: string[]) => Promise<LabelSaveOutcome>,
    private readonly changed: (problem: string | null) => void,
  ) {}

  get shown(): string[] {
    return this.unsaved.reduce(edited, [...this.base()]);
  }

  /** Whether an edit is not yet saved or refused. */
  get saving(): boolean {
    return this.unsaved.length > 0;
  }

  /** Settles once every edit made so far is saved or refused. */
  get settled(): Promise<void> {
    return this.queue;
  }

  edit(edit: LabelEdit): void {
    this.unsaved.push(edit);
    this.changed(null);
    this.queue = this.queue.then(async () => {
      const base = this.base();
      const next = edited(base, edit);
      let problem: string | null = null;
      if (next.join("\u0000") !== base.join("\u0000")) {
        const outcome = await this.save(next);
        if ("labels" in outcome) this.answered = { labels: outcome.labels, over: this.known() };
        else problem = outcome.problem;
      }
      this.unsaved.shift();
      this.changed(problem);
    });
  }

  private base(): readonly string[] {
    const known = this.known();
    return this.answered?.over === known ? this.answered.labels : known;
  }
}
