import { type FormEvent, useState } from "react";
import { useMutation, useQuery } from "urql";
import { Problem, reasonOf } from "../Problem";
import { useSetupText } from "./messages";
import { TEMPLATE_CREATE, TEMPLATE_SYNC, TEMPLATES } from "./operations";

const CATEGORIES = ["UTILITY", "MARKETING", "AUTHENTICATION"] as const;

/** The positional placeholders of a body ({{1}}, {{2}}), in order, each once. */
export function placeholdersOf(body: string): string[] {
  return [...new Set([...body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)].map((match) => match[1] ?? ""))].sort(
    (a, b) => Number(a) - Number(b),
  );
}

/** Message templates (owners and admins): synchronized from Meta with their review status,
 * and new ones submitted for review with an example for each placeholder. */
export default function TemplatesPage() {
  const t = useSetupText();
  const [{ data }, reread] = useQuery({ query: TEMPLATES, requestPolicy: "network-only" });
  const [, sync] = useMutation(TEMPLATE_SYNC);
  const [, create] = useMutation(TEMPLATE_CREATE);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const numbers = data?.whatsappNumbers ?? [];
  const [numberId, setNumberId] = useState("");
  const [name, setName] = useState("");
  const [category, setCategory] = useState<(typeof CATEGORIES)[number]>("UTILITY");
  const [language, setLanguage] = useState("pt_BR");
  const [body, setBody] = useState("");
  const [examples, setExamples] = useState<Record<string, string>>({});
  const [footer, setFooter] = useState("");
  const [quickReplies, setQuickReplies] = useState("");
  const placeholders = placeholdersOf(body);
  const refresh = () => reread({ requestPolicy: "network-only" });

  async function syncAll() {
    setProblem(null);
    for (const number of numbers) {
      const result = await sync({ input: { numberId: number.id } });
      const payload = result.data?.whatsappTemplateSync;
      if (payload?.__typename !== "WhatsAppTemplateSyncSuccess") {
        setProblem(reasonOf(payload, result.error));
        return;
      }
    }
    setNotice(t("templates.synced"));
    refresh();
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await create({
      input: {
        numberId: numberId || numbers[0]?.id || "",
        name: name.trim(),
        category,
        language,
        body,
        bodyExamples: placeholders.map((p) => examples[p] ?? ""),
        footer: footer.trim() || null,
        quickReplies: quickReplies
          .split("\n")
          .map((line) => line.trim())
          .filter(Boolean),
      },
    });
    const payload = result.data?.whatsappTemplateCreate;
    if (payload?.__typename === "WhatsAppTemplateCreateSuccess") {
      setNotice(t("templates.submitted", { name }));
      setName("");
      setBody("");
      setExamples({});
      refresh();
    } else setProblem(reasonOf(payload, result.error));
  }

  return (
    <main className="setup-page">
      <h1>{t("templates.title")}</h1>
      <button type="button" disabled={numbers.length === 0} onClick={() => void syncAll()}>
        {t("syncTemplates")}
      </button>
      {notice && <p role="status">{notice}</p>}
      <Problem text={problem} />
      {data && data.whatsappTemplates.length === 0 && <p className="hint">{t("templates.none")}</p>}
      {data && data.whatsappTemplates.length > 0 && (
        <table className="setup-table">
          <thead>
            <tr>
              <th scope="col">{t("templates.nameColumn")}</th>
              <th scope="col">{t("templates.language")}</th>
              <th scope="col">{t("templates.category")}</th>
              <th scope="col">{t("templates.status")}</th>
              <th scope="col">{t("templates.body")}</th>
            </tr>
          </thead>
          <tbody>
            {data.whatsappTemplates.map((template) => (
              <tr key={template.id} data-template={template.name}>
                <td>{template.name}</td>
                <td>{template.language}</td>
                <td>{template.category}</td>
                <td>
                  {template.status}
                  {template.rejectionReason && <span className="problem"> {template.rejectionReason}</span>}
                </td>
                <td>{template.body}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <section aria-labelledby="template-new">
        <h2 id="template-new">{t("templates.new")}</h2>
        <form className="setup-form setup-form--column" onSubmit={(e) => void submit(e)}>
          {numbers.length > 1 && (
            <label>
              {t("templates.account")}
              <select value={numberId} onChange={(e) => setNumberId(e.target.value)}>
                {numbers.map((number) => (
                  <option key={number.id} value={number.id}>
                    {number.displayPhoneNumber} · {number.wabaId}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            {t("templates.name")}
            <input required pattern="[a-z0-9_]+" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label>
            {t("templates.category")}
            <select value={category} onChange={(e) => setCategory(e.target.value as (typeof CATEGORIES)[number])}>
              {CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("templates.language")}
            <select value={language} onChange={(e) => setLanguage(e.target.value)}>
              <option value="pt_BR">pt_BR</option>
              <option value="en_US">en_US</option>
              <option value="es">es</option>
            </select>
          </label>
          <label>
            {t("templates.body")}
            <textarea required rows={4} value={body} onChange={(e) => setBody(e.target.value)} />
          </label>
          <span className="hint">{t("templates.bodyHint")}</span>
          {placeholders.map((placeholder) => (
            <label key={placeholder}>
              {t("templates.example", { placeholder })}
              <input
                required
                value={examples[placeholder] ?? ""}
                onChange={(e) => setExamples({ ...examples, [placeholder]: e.target.value })}
              />
            </label>
          ))}
          <label>
            {t("templates.footer")}
            <input value={footer} onChange={(e) => setFooter(e.target.value)} />
          </label>
          <label>
            {t("templates.quickReplies")}
            <textarea rows={2} value={quickReplies} onChange={(e) => setQuickReplies(e.target.value)} />
          </label>
          <button type="submit" disabled={numbers.length === 0}>
            {t("templates.submit")}
          </button>
        </form>
      </section>
    </main>
  );
}
