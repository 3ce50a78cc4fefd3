import type { Session } from "../session";

/** fetch with the console's bearer token, unless the request already names one (an
 * integrator trying another user's token in GraphiQL's headers editor). */
export function authorizedFetch(session: Session, base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (!headers.has("authorization")) {
      const token = await session.accessToken();
      if (token) headers.set("authorization", `Bearer ${token}`);
    }
    return base(input, { ...init, headers });
  };
}

export function socketUrl(location: Pick<Location, "protocol" | "host">): string {
  return `${location.protocol === "https:" ? "wss:" : "ws:"}//${location.host}/graphql`;
}
