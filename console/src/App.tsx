import { useEffect, useMemo, useState } from "react";
import { Provider } from "urql";
import { createApiClient, refreshTokens } from "./api";
import { LiveContext } from "./context";
import { AccessTokenContext } from "./inbox/media";
import { AcceptInvitation } from "./AcceptInvitation";
import { LiveUpdates } from "./live";
import { EVENT_CURSOR } from "./operations";
import { useRoute } from "./route";
import { Session } from "./session";
import { Shell } from "./Shell";
import { SignIn } from "./SignIn";

export function App() {
  const session = useMemo(() => new Session(refreshTokens), []);
  const [signedIn, setSignedIn] = useState(session.current !== null);
  useEffect(() => session.onChange((tokens) => setSignedIn(tokens !== null)), [session]);
  const route = useRoute();
  if (route.page === "invitation") {
    // Joining replaces whoever is signed in on this browser with the new account.
    return (
      <AcceptInvitation
        token={route.id}
        onSignedIn={(tokens) => {
          session.signedIn(tokens);
          window.location.hash = "#/";
        }}
      />
    );
  }
  if (!signedIn) return <SignIn onSignedIn={(tokens) => session.signedIn(tokens)} />;
  return <SignedIn session={session} />;
}

function SignedIn({ session }: { session: Session }) {
  const client = useMemo(() => createApiClient(session), [session]);
  const live = useMemo(
    () =>
      new LiveUpdates(session, async () => {
        const result = await client.query(EVENT_CURSOR, {}).toPromise();
        return result.data?.organization.lastEventId ?? null;
      }),
    [session, client],
  );
  const accessToken = useMemo(() => () => session.accessToken(), [session]);
  useEffect(() => () => live.close(), [live]);
  return (
    <Provider value={client}>
      <LiveContext.Provider value={live}>
        <AccessTokenContext.Provider value={accessToken}>
          <Shell session={session} />
        </AccessTokenContext.Provider>
      </LiveContext.Provider>
    </Provider>
  );
}
