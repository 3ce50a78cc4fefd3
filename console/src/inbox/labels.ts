/** PyTake's limits for a conversation's labels (ConversationLabelsSetInput). */
export const MAX_LABELS = 20;
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
