import { type FormEvent, useState } from "react";
import { useMutation, useQuery } from "urql";
import { useMe } from "../context";
import type { UserRole } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Problem, reasonOf } from "../Problem";
import { INVITATION_CREATE, INVITATION_RESEND, INVITATION_REVOKE, TEAM } from "./operations";

const ROLES: readonly UserRole[] = ["AGENT", "SUPERVISOR", "ADMIN", "OWNER"];

/** Roles a user may give: owners any, admins those below their own (PyTake's rule). */
export function invitableRoles(mine: UserRole): UserRole[] {
  if (mine === "OWNER") return [...ROLES];
  if (mine === "ADMIN") return ["AGENT", "SUPERVISOR"];
  return [];
}

interface Issued {
  email: string;
  link: string;
  emailed: boolean;
  emailProblem?: string | null;
}

/** The organization's members and invitations; inviting someone by email with a role and
 * queues, the link shown to copy when it was not e-mailed (owners and admins). */
export default function TeamPage() {
  const { t, dateTime } = useI18n();
  const me = useMe();
  const [{ data }, reread] = useQuery({ query: TEAM, requestPolicy: "network-only" });
  const [, create] = useMutation(INVITATION_CREATE);
  const [, resend] = useMutation(INVITATION_RESEND);
  const [, revoke] = useMutation(INVITATION_REVOKE);
  const roles = invitableRoles(me.role);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<UserRole>("AGENT");
  const [queueIds, setQueueIds] = useState<string[]>([]);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function refresh() {
    reread({ requestPolicy: "network-only" });
  }

  async function invite(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    const result = await create({ input: { email: email.trim(), role, queueIds } });
    setBusy(false);
    const payload = result.data?.invitationCreate;
    if (payload?.__typename === "InvitationIssueSuccess") {
      setIssued({ email: payload.invitation.email, ...payload });
      setEmail("");
      setQueueIds([]);
      refresh();
    } else {
      setProblem(reasonOf(payload, result.error));
    }
  }

  async function again(id: string) {
    setProblem(null);
    const result = await resend({ input: { id } });
    const payload = result.data?.invitationResend;
    if (payload?.__typename === "InvitationIssueSuccess") setIssued({ email: payload.invitation.email, ...payload });
    else setProblem(reasonOf(payload, result.error));
    refresh();
  }

  async function withdraw(id: string) {
    setProblem(null);
    const result = await revoke({ input: { id } });
    const payload = result.data?.invitationRevoke;
    if (payload && payload.__typename !== "InvitationRevokeSuccess") setProblem(reasonOf(payload, result.error));
    refresh();
  }

  const queues = new Map(data?.queues.map((queue) => [queue.id, queue.name]) ?? []);
  return (
    <main className="setup-page">
      <h1>{t("team.title")}</h1>
      <section aria-labelledby="team-invite">
        <h2 id="team-invite">{t("team.invite")}</h2>
        <form className="setup-form" onSubmit={invite}>
          <label>
            {t("signIn.email")}
            <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
          <label>
            {t("team.role")}
            <select value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          </label>
          {data && data.queues.length > 0 && (
            <fieldset>
              <legend>{t("team.queues")}</legend>
              {data.queues.map((queue) => (
                <label key={queue.id} className="setup-check">
                  <input
                    type="checkbox"
                    checked={queueIds.includes(queue.id)}
                    onChange={(e) =>
                      setQueueIds(e.target.checked ? [...queueIds, queue.id] : queueIds.filter((id) => id !== queue.id))
                    }
                  />{" "}
                  {queue.name}
                </label>
              ))}
            </fieldset>
          )}
          <button type="submit" disabled={busy}>
            {t("team.send")}
          </button>
        </form>
        <Problem text={problem} />
        {issued && <IssuedLink issued={issued} />}
      </section>
      <section aria-labelledby="team-invitations">
        <h2 id="team-invitations">{t("team.invitations")}</h2>
        {data && data.invitations.length === 0 && <p className="hint">{t("team.noInvitations")}</p>}
        {data && data.invitations.length > 0 && (
          <table className="setup-table">
            <thead>
              <tr>
                <th scope="col">{t("signIn.email")}</th>
                <th scope="col">{t("team.role")}</th>
                <th scope="col">{t("team.queues")}</th>
                <th scope="col">{t("team.status")}</th>
                <th scope="col">{t("team.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {data.invitations.map((invitation) => (
                <tr key={invitation.id} data-invitation={invitation.email}>
                  <td>{invitation.email}</td>
                  <td>{t(`role.${invitation.role}`)}</td>
                  <td>{invitation.queueIds.map((id) => queues.get(id) ?? "—").join(", ")}</td>
                  <td>
                    {t(`invitationStatus.${invitation.status}`)}
                    {invitation.status === "PENDING" && ` · ${t("team.until", { time: dateTime(invitation.expiresAt) })}`}
                  </td>
                  <td>
                    {(invitation.status === "PENDING" || invitation.status === "EXPIRED") && (
                      <button type="button" onClick={() => void again(invitation.id)}>
                        {t("team.resend")}
                        <span className="visually-hidden"> {invitation.email}</span>
                      </button>
                    )}
                    {invitation.status === "PENDING" && (
                      <button type="button" className="danger" onClick={() => void withdraw(invitation.id)}>
                        {t("team.revoke")}
                        <span className="visually-hidden"> {invitation.email}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="team-members">
        <h2 id="team-members">{t("team.members")}</h2>
        <table className="setup-table">
          <thead>
            <tr>
              <th scope="col">{t("team.name")}</th>
              <th scope="col">{t("signIn.email")}</th>
              <th scope="col">{t("team.role")}</th>
            </tr>
          </thead>
          <tbody>
            {data?.organization.users.edges.map(({ node: user }) => (
              <tr key={user.id} data-member={user.email} className={user.isActive ? undefined : "inactive"}>
                <td>{user.name}</td>
                <td>{user.email}</td>
                <td>
                  {t(`role.${user.role}`)}
                  {!user.isActive && ` · ${t("team.deactivated")}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

function IssuedLink({ issued }: { issued: Issued }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <div className="issued" role="status">
      <p>
        {issued.emailed
          ? t("team.emailed", { email: issued.email })
          : t("team.notEmailed", { email: issued.email, reason: issued.emailProblem ?? "" })}
      </p>
      <label>
        {t("team.link")}
        <input readOnly value={issued.link} onFocus={(e) => e.target.select()} />
      </label>
      <button
        type="button"
        onClick={() =>
          void navigator.clipboard
            ?.writeText(issued.link)
            .then(() => setCopied(true))
            .catch(() => setCopied(false))
        }
      >
        {copied ? t("team.copied") : t("team.copy")}
      </button>
    </div>
  );
}
