import { type FormEvent, useEffect, useState } from "react";
import { acceptInvitation, type InvitationProblem, type Preview, previewInvitation } from "./api";
import { type MessageKey, useI18n } from "./i18n";
import { LanguagePicker } from "./LanguagePicker";
import { Problem } from "./Problem";
import type { Tokens } from "./session";

function problemText(problem: InvitationProblem): { key: MessageKey } | { text: string } {
  switch (problem.problem) {
    case "unusable":
      return { key: `invitation.${problem.reason}` };
    case "unknown":
      return { key: "invitation.unknown" };
    case "refused":
      return { text: problem.message };
    default:
      return { key: "signIn.unreachable" };
  }
}

/** The page an invitation link opens: who invites you where and as what, then your name and
 * password; joining signs you in. Needs no account. */
export function AcceptInvitation({ token, onSignedIn }: { token: string; onSignedIn: (tokens: Tokens) => void }) {
  const { t, dateTime } = useI18n();
  const [preview, setPreview] = useState<Preview | null>(null);
  const [unusable, setUnusable] = useState<InvitationProblem | null>(null);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    void previewInvitation(token)
      .catch((): InvitationProblem => ({ problem: "unreachable" }))
      .then((outcome) => ("preview" in outcome ? setPreview(outcome.preview) : setUnusable(outcome)));
  }, [token]);

  function say(outcome: InvitationProblem): string {
    const text = problemText(outcome);
    return "key" in text ? t(text.key) : text.text;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const outcome = await acceptInvitation(token, name.trim(), password).catch(
      (): InvitationProblem => ({ problem: "unreachable" }),
    );
    setBusy(false);
    if ("tokens" in outcome) onSignedIn(outcome.tokens);
    else if (outcome.problem === "unusable" || outcome.problem === "unknown") setUnusable(outcome);
    else setProblem(say(outcome));
  }

  return (
    <main className="sign-in">
      <form className="sign-in__form" onSubmit={submit} aria-labelledby="invitation-title">
        {unusable ? (
          <>
            <h1 id="invitation-title">{t("invitation.cannotJoin")}</h1>
            <p role="alert">{say(unusable)}</p>
            <a href="#/">{t("invitation.toSignIn")}</a>
          </>
        ) : !preview ? (
          <p className="loading">{t("inbox.loading")}</p>
        ) : (
          <>
            <h1 id="invitation-title">{t("invitation.title", { organization: preview.organizationName })}</h1>
            <p>
              {t("invitation.as", { role: t(`role.${preview.role}`) })}{" "}
              {t("invitation.until", { time: dateTime(preview.expiresAt) })}
            </p>
            <label>
              {t("signIn.email")}
              <input type="email" value={preview.email} readOnly autoComplete="username" />
            </label>
            <label>
              {t("invitation.name")}
              <input required maxLength={200} autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label>
              {t("invitation.password")}
              <input
                type="password"
                required
                minLength={12}
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            </label>
            <Problem text={problem} />
            <button type="submit" disabled={busy}>
              {t("invitation.join")}
            </button>
          </>
        )}
        <LanguagePicker />
      </form>
    </main>
  );
}
