// GraphiQL from PyTake's own assets (no CDN), signed in with the console's session: an
// integrator who signed in to the console tries the API without copying tokens.
import "graphiql/setup-workers/vite";
import "graphiql/style.css";
import "./graphiql.css";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createClient } from "graphql-ws";
import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { GRAPHQL_PATH, refreshTokens } from "../api";
import { Session } from "../session";
import { authorizedFetch, socketUrl } from "./auth";

const session = new Session(refreshTokens);

const FIRST_QUERY = `# PyTake's GraphQL API. The documentation explorer (the book icon) describes every
# type and field; Ctrl+Enter runs the operation under the cursor.
query WhoAmI {
  me { name email role }
  organization { name lastEventId }
}
`;

const fetcher = createGraphiQLFetcher({
  url: GRAPHQL_PATH,
  fetch: authorizedFetch(session, fetch),
  enableIncrementalDelivery: false,
  wsClient: createClient({
    url: socketUrl(window.location),
    lazy: true,
    connectionParams: async () => {
      const token = await session.accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  }),
});

function SignedInAs() {
  const [signedIn, setSignedIn] = useState(session.current !== null);
  useEffect(() => session.onChange((tokens) => setSignedIn(tokens !== null)), []);
  return (
    <p className="ide-session" role="status">
      {signedIn ? (
        <>Requests carry your console sign-in (an Authorization header of your own wins).</>
      ) : (
        <>
          Not signed in: <a href="/">sign in to the console</a>, then come back, or set an
          Authorization header below.
        </>
      )}
    </p>
  );
}

const root = document.getElementById("graphiql");
if (root) {
  createRoot(root).render(
    <StrictMode>
      <div className="ide">
        <header className="ide-bar">
          <a href="/">PyTake</a>
          <SignedInAs />
        </header>
        <GraphiQL fetcher={fetcher} defaultQuery={FIRST_QUERY} defaultEditorToolsVisibility="headers" />
      </div>
    </StrictMode>,
  );
}
