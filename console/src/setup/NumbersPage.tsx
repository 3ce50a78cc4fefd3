import { type FormEvent, useState } from "react";
import { useClient, useMutation, useQuery } from "urql";
import type { ConsoleNumbersQuery } from "../gql/graphql";
import { Problem, reasonOf } from "../Problem";
import { readFresh } from "../reads";
import { useSetupText } from "./messages";
import { NUMBER_CHECK, NUMBER_CREATE, NUMBER_DELETE, NUMBER_SYNC, NUMBER_UPDATE, NUMBERS } from "./operations";

type Number = ConsoleNumbersQuery["whatsappNumbers"][number];

/** The organization's WhatsApp numbers (owners and admins): connect one, replace its
 * credentials (never shown back), refresh it from Meta, test its connection, disconnect it. */
export default function NumbersPage() {
  const t = useSetupText();
  const [{ data }, reread] = useQuery({ query: NUMBERS, requestPolicy: "network-only" });
  const refresh = () => reread({ requestPolicy: "network-only" });
  return (
    <main className="setup-page">
      <h1>{t("numbers.title")}</h1>
      {data?.whatsappNumbers.length === 0 && <p className="hint">{t("numbers.none")}</p>}
      {data?.whatsappNumbers.map((number) => (
        <NumberCard key={number.id} number={number} onChange={refresh} />
      ))}
      <ConnectForm onConnected={refresh} />
    </main>
  );
}

function NumberCard({ number, onChange }: { number: Number; onChange: () => void }) {
  const t = useSetupText();
  const client = useClient();
  const [, update] = useMutation(NUMBER_UPDATE);
  const [, remove] = useMutation(NUMBER_DELETE);
  const [, sync] = useMutation(NUMBER_SYNC);
  const [problem, setProblem] = useState<string | null>(null);
  const [checks, setChecks] = useState<{ name: string; ok: boolean; message: string }[] | null>(null);
  const [token, setToken] = useState("");
  const [busy, setBusy] = useState(false);
  async function act(action: () => Promise<{ data?: object | null; error?: { message: string } }>, field: string) {
    setBusy(true);
    setProblem(null);
    const result = await action();
    setBusy(false);
    const payload = (result.data as Record<string, { __typename: string; message?: string }> | undefined)?.[field];
    if (payload?.message || !payload) setProblem(reasonOf(payload, result.error));
    onChange();
  }
  async function test() {
    setBusy(true);
    const result = await readFresh(client, NUMBER_CHECK, { id: number.id });
    setBusy(false);
    setChecks(result.data?.whatsappNumberCheck?.checks ?? null);
    if (result.error) setProblem(result.error.message);
  }
  function replaceToken(event: FormEvent) {
    event.preventDefault();
    void act(() => update({ input: { id: number.id, accessToken: token } }), "whatsappNumberUpdate").then(() =>
      setToken(""),
    );
  }
  return (
    <section className="number-card" aria-labelledby={`number-${number.id}`} data-number={number.phoneNumberId}>
      <h2 id={`number-${number.id}`}>
        {number.displayPhoneNumber} {number.verifiedName && `· ${number.verifiedName}`}
        {number.trial && <span className="badge">{t("numbers.trial")}</span>}
      </h2>
      <dl className="number-card__facts">
        <dt>{t("phoneNumberId")}</dt>
        <dd>{number.phoneNumberId}</dd>
        <dt>{t("wabaId")}</dt>
        <dd>{number.wabaId}</dd>
        <dt>{t("numbers.health")}</dt>
        <dd>{number.healthy ? t("numbers.healthy") : t("numbers.unhealthy")}</dd>
        <dt>{t("numbers.quality")}</dt>
        <dd>{number.qualityRating ?? "—"}</dd>
        <dt>{t("numbers.rate")}</dt>
        <dd>{number.messagesPerSecond}/s</dd>
        <dt>{t("numbers.secrets")}</dt>
        <dd>
          {number.hasAppSecret ? t("numbers.ownSecret") : t("numbers.sharedSecret")} ·{" "}
          {number.hasVerifyToken ? t("numbers.ownVerify") : t("numbers.sharedVerify")}
        </dd>
      </dl>
      <div className="number-card__actions">
        <button type="button" disabled={busy} onClick={() => void test()}>
          {t("runTest")}
        </button>
        <button
          type="button"
          disabled={busy || number.trial}
          onClick={() => void act(() => sync({ input: { id: number.id } }), "whatsappNumberSync")}
        >
          {t("numbers.sync")}
        </button>
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm(t("numbers.confirmDelete", { number: number.displayPhoneNumber }))) {
              void act(() => remove({ input: { id: number.id } }), "whatsappNumberDelete");
            }
          }}
        >
          {t("numbers.delete")}
        </button>
      </div>
      {checks && (
        <ul className="onboarding__checks" aria-label={t("testResults")}>
          {checks.map((check) => (
            <li key={check.name} data-ok={check.ok}>
              {check.ok ? "✓" : "✗"} {check.message}
            </li>
          ))}
        </ul>
      )}
      {!number.trial && (
        <form className="setup-form" onSubmit={replaceToken}>
          <label>
            {t("numbers.newToken")}
            <input type="password" autoComplete="off" required value={token} onChange={(e) => setToken(e.target.value)} />
          </label>
          <button type="submit" disabled={busy}>
            {t("numbers.replaceToken")}
          </button>
        </form>
      )}
      <Problem text={problem} />
    </section>
  );
}

function ConnectForm({ onConnected }: { onConnected: () => void }) {
  const t = useSetupText();
  const [, create] = useMutation(NUMBER_CREATE);
  const [fields, setFields] = useState({ phoneNumberId: "", wabaId: "", accessToken: "", appSecret: "", verifyToken: "" });
  const [problem, setProblem] = useState<string | null>(null);
  const set = (key: keyof typeof fields) => (e: { target: { value: string } }) => setFields({ ...fields, [key]: e.target.value });
  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await create({
      input: {
        phoneNumberId: fields.phoneNumberId.trim(),
        wabaId: fields.wabaId.trim(),
        accessToken: fields.accessToken.trim(),
        appSecret: fields.appSecret.trim() || null,
        verifyToken: fields.verifyToken.trim() || null,
      },
    });
    const payload = result.data?.whatsappNumberCreate;
    if (payload?.__typename === "WhatsAppNumberCreateSuccess") {
      setFields({ phoneNumberId: "", wabaId: "", accessToken: "", appSecret: "", verifyToken: "" });
      onConnected();
    } else setProblem(reasonOf(payload, result.error));
  }
  return (
    <section aria-labelledby="connect-number">
      <h2 id="connect-number">{t("connectTitle")}</h2>
      <form className="setup-form setup-form--column" onSubmit={(e) => void submit(e)}>
        <label>
          {t("phoneNumberId")}
          <input required inputMode="numeric" value={fields.phoneNumberId} onChange={set("phoneNumberId")} />
        </label>
        <label>
          {t("wabaId")}
          <input required inputMode="numeric" value={fields.wabaId} onChange={set("wabaId")} />
        </label>
        <label>
          {t("accessToken")}
          <input required type="password" autoComplete="off" value={fields.accessToken} onChange={set("accessToken")} />
        </label>
        <label>
          {t("numbers.appSecret")}
          <input type="password" autoComplete="off" value={fields.appSecret} onChange={set("appSecret")} />
        </label>
        <label>
          {t("numbers.verifyToken")}
          <input type="password" autoComplete="off" value={fields.verifyToken} onChange={set("verifyToken")} />
        </label>
        <p className="hint">{t("numbers.secretsHint")}</p>
        <button type="submit">{t("connect")}</button>
      </form>
      <Problem text={problem} />
    </section>
  );
}
