import { type FormEvent, useState } from "react";
import { signIn } from "./api";
import { LanguagePicker } from "./LanguagePicker";
import { useI18n } from "./i18n";
import { Problem } from "./Problem";
import type { Tokens } from "./session";

export function SignIn({ onSignedIn }: { onSignedIn: (tokens: Tokens) => void }) {
  const { t } = useI18n();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const outcome = await signIn(email.trim(), password).catch(() => ({ problem: "unreachable" as const }));
    setBusy(false);
    if ("tokens" in outcome) {
      onSignedIn(outcome.tokens);
    } else if (outcome.problem === "rateLimited") {
      setProblem(t("signIn.rateLimited", { seconds: outcome.retryAfterSeconds }));
    } else {
      setProblem(t(`signIn.${outcome.problem}`));
    }
  }

  return (
    <main className="sign-in">
      <form className="sign-in__form" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">{t("signIn.title")}</h1>
        <label>
          {t("signIn.email")}
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </label>
        <label>
          {t("signIn.password")}
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <Problem text={problem} />
        <button type="submit" disabled={busy}>
          {busy ? t("signIn.busy") : t("signIn.submit")}
        </button>
        <LanguagePicker />
      </form>
    </main>
  );
}
