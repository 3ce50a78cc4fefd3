/** What went wrong with the user's last action, announced to screen readers as it appears. */
export function Problem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="problem" role="alert">
      {text}
    </p>
  );
}
