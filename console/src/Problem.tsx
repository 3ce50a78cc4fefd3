/** What went wrong with the user's last action, announced to screen readers as it appears. */
export function Problem({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p className="problem" role="alert">
      {text}
    </p>
  );
}

/** PyTake's answer for a refused action (its typed error's message), else the transport's. */
export function reasonOf(payload: object | null | undefined, error: { message: string } | undefined): string {
  if (payload && "message" in payload && typeof payload.message === "string") return payload.message;
  return error?.message ?? "?";
}
