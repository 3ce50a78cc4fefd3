// The console's GraphQL client: urql for queries and mutations (small, with a first-party auth
// exchange that renews the token and retries), graphql-ws for the live streams (live.ts).
import { authExchange } from "@urql/exchange-auth";
import { Client, type CombinedError, fetchExchange } from "urql";
import type { ConsoleInvitationPreviewQuery, InvitationUnusableReason } from "./gql/graphql";
import { INVITATION_ACCEPT, INVITATION_PREVIEW, TOKEN_CREATE, TOKEN_REFRESH, TOKEN_REVOKE } from "./operations";
import { type RefreshOutcome, Session, type Tokens } from "./session";

export const GRAPHQL_PATH = "/graphql";

/** Sign-in, renewal and sign-out go without a bearer token and are never retried. */
const anonymous = new Client({
  url: GRAPHQL_PATH,
  exchanges: [fetchExchange],
  requestPolicy: "network-only",
});

export async function refreshTokens(refreshToken: string): Promise<RefreshOutcome> {
  const result = await anonymous.mutation(TOKEN_REFRESH, { input: { refreshToken } }).toPromise();
  if (result.error?.networkError) throw result.error.networkError;
  const payload = result.data?.tokenRefresh;
  if (payload?.__typename === "TokenRefreshSuccess") return { tokens: payload.tokens };
  return { refused: payload && "message" in payload ? payload.message : "refused" };
}

export type SignInOutcome =
  | { tokens: Tokens }
  | { problem: "credentials" | "deactivated" | "unreachable" }
  | { problem: "rateLimited"; retryAfterSeconds: number };

export async function signIn(email: string, password: string): Promise<SignInOutcome> {
  const result = await anonymous
    .mutation(TOKEN_CREATE, { input: { email, password } })
    .toPromise();
  const payload = result.data?.tokenCreate;
  switch (payload?.__typename) {
    case "TokenCreateSuccess":
      return { tokens: payload.tokens };
    case "RateLimitedError":
      return { problem: "rateLimited", retryAfterSeconds: payload.retryAfterSeconds };
    case "AccountDeactivatedError":
      return { problem: "deactivated" };
    case "InvalidCredentialsError":
      return { problem: "credentials" };
    default:
      return { problem: "unreachable" };
  }
}

export type InvitationProblem =
  | { problem: "unusable"; reason: InvitationUnusableReason }
  | { problem: "unknown" | "unreachable" }
  | { problem: "refused"; message: string };

export type Preview = Extract<ConsoleInvitationPreviewQuery["invitationPreview"], { __typename: "InvitationPreview" }>;

/** What an invitation link offers, asked without signing in. */
export async function previewInvitation(token: string): Promise<{ preview: Preview } | InvitationProblem> {
  const result = await anonymous.query(INVITATION_PREVIEW, { token }).toPromise();
  const payload = result.data?.invitationPreview;
  switch (payload?.__typename) {
    case "InvitationPreview":
      return { preview: payload };
    case "InvitationUnusableError":
      return { problem: "unusable", reason: payload.reason };
    case "NotFoundError":
      return { problem: "unknown" };
    default:
      return { problem: "unreachable" };
  }
}

/** Join from an invitation link: the new account's tokens, or why not. */
export async function acceptInvitation(
  token: string,
  name: string,
  password: string,
): Promise<{ tokens: Tokens } | InvitationProblem> {
  const result = await anonymous.mutation(INVITATION_ACCEPT, { input: { token, name, password } }).toPromise();
  const payload = result.data?.invitationAccept;
  switch (payload?.__typename) {
    case "InvitationAcceptSuccess":
      return { tokens: payload.tokens };
    case "InvitationUnusableError":
      return { problem: "unusable", reason: payload.reason };
    case "NotFoundError":
      return { problem: "unknown" };
    case "ValidationError":
    case "ConflictError":
      return { problem: "refused", message: payload.message };
    default:
      return { problem: "unreachable" };
  }
}

export async function signOut(session: Session): Promise<void> {
  const refreshToken = session.current?.refreshToken;
  session.signedOut();
  if (refreshToken) {
    await anonymous.mutation(TOKEN_REVOKE, { input: { refreshToken } }).toPromise();
  }
}

function isAuthError(error: CombinedError): boolean {
  if (error.response && (error.response as Response).status === 401) return true;
  return error.graphQLErrors.some((e) =>
    ["TOKEN_EXPIRED", "UNAUTHENTICATED"].includes(String(e.extensions?.code)),
  );
}

export function createApiClient(session: Session): Client {
  return new Client({
    url: GRAPHQL_PATH,
    requestPolicy: "network-only",
    exchanges: [
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const token = session.current?.accessToken;
          return token ? utils.appendHeaders(operation, { authorization: `Bearer ${token}` }) : operation;
        },
        willAuthError() {
          const tokens = session.current;
          return tokens !== null && Date.parse(tokens.accessTokenExpiresAt) - 30_000 <= Date.now();
        },
        didAuthError: isAuthError,
        async refreshAuth() {
          await session.renew();
        },
      })),
      fetchExchange,
    ],
  });
}
