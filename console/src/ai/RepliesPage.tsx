import { type FormEvent, useState } from "react";
import { useMutation, useQuery } from "urql";
import { Problem, reasonOf } from "../Problem";
import { useAiText } from "./messages";
import { CANNED, CANNED_CREATE, CANNED_DELETE } from "./operations";

/** The team's canned responses: what agents insert with /shortcut, and what suggestions draw on. */
export default function RepliesPage() {
  const t = useAiText();
  const [{ data }, reread] = useQuery({ query: CANNED, requestPolicy: "network-only" });
  const [, create] = useMutation(CANNED_CREATE);
  const [, remove] = useMutation(CANNED_DELETE);
  const [problem, setProblem] = useState<string | null>(null);
  const [shortcut, setShortcut] = useState("");
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const refresh = () => reread({ requestPolicy: "network-only" });

  async function add(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await create({ input: { shortcut, title, body } });
    const payload = result.data?.cannedResponseCreate;
    if (payload?.__typename === "CannedResponseSaveSuccess") {
      setShortcut("");
      setTitle("");
      setBody("");
      refresh();
    } else setProblem(reasonOf(payload, result.error));
  }

  async function drop(id: string) {
    const result = await remove({ input: { id } });
    const payload = result.data?.cannedResponseDelete;
    if (payload?.__typename === "CannedResponseDeleteSuccess") refresh();
    else setProblem(reasonOf(payload, result.error));
  }

  return (
    <main className="setup-page">
      <h1>{t("replies.title")}</h1>
      <p className="hint">{t("replies.explain")}</p>
      <Problem text={problem} />
      {data && data.cannedResponses.length === 0 && <p className="hint">{t("replies.none")}</p>}
      {data && data.cannedResponses.length > 0 && (
        <table className="setup-table">
          <thead>
            <tr>
              <th scope="col">{t("replies.shortcut")}</th>
              <th scope="col">{t("replies.titleField")}</th>
              <th scope="col">{t("replies.body")}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {data.cannedResponses.map((canned) => (
              <tr key={canned.id} data-shortcut={canned.shortcut}>
                <th scope="row">/{canned.shortcut}</th>
                <td>{canned.title}</td>
                <td>{canned.body}</td>
                <td>
                  <button type="button" onClick={() => void drop(canned.id)}>
                    {t("replies.delete", { shortcut: canned.shortcut })}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="setup-form setup-form--column" onSubmit={(e) => void add(e)}>
        <label>
          {t("replies.shortcut")}
          <input required value={shortcut} onChange={(e) => setShortcut(e.target.value)} />
        </label>
        <label>
          {t("replies.titleField")}
          <input required value={title} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>
          {t("replies.body")}
          <textarea required rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
        </label>
        <button type="submit">{t("replies.add")}</button>
      </form>
    </main>
  );
}
