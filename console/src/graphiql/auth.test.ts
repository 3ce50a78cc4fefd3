import { describe, expect, it } from "vitest";
import { Session } from "../session";
import { authorizedFetch, socketUrl } from "./auth";

function memoryStorage(): Storage {
  const values = new Map<string, string>();
  return {
    get length() {
      return values.size;
    },
    clear: () => values.clear(),
    getItem: (key) => values.get(key) ?? null,
    key: (index) => [...values.keys()][index] ?? null,
    removeItem: (key) => void values.delete(key),
    setItem: (key, value) => void values.set(key, value),
  };
}

function recorder() {
  const seen: Headers[] = [];
  const base = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    seen.push(new Headers(init?.headers));
    return new Response("{}");
  }) as typeof fetch;
  return { seen, base };
}

const FRESH = { accessToken: "console-token", refreshToken: "r", accessTokenExpiresAt: "2999-01-01T00:00:00Z" };

describe("authorizedFetch", () => {
  it("sends the console's token", async () => {
    const session = new Session(async () => ({ refused: "no" }), memoryStorage());
    session.signedIn(FRESH);
    const { seen, base } = recorder();
    await authorizedFetch(session, base)("/graphql", { method: "POST" });
    expect(seen[0]!.get("authorization")).toBe("Bearer console-token");
  });

  it("leaves an Authorization header the integrator set alone", async () => {
    const session = new Session(async () => ({ refused: "no" }), memoryStorage());
    session.signedIn(FRESH);
    const { seen, base } = recorder();
    await authorizedFetch(session, base)("/graphql", { headers: { Authorization: "Bearer other" } });
    expect(seen[0]!.get("authorization")).toBe("Bearer other");
  });

  it("sends no token when nobody signed in", async () => {
    const session = new Session(async () => ({ refused: "no" }), memoryStorage());
    const { seen, base } = recorder();
    await authorizedFetch(session, base)("/graphql", {});
    expect(seen[0]!.has("authorization")).toBe(false);
  });
});

describe("socketUrl", () => {
  it("follows the page's scheme", () => {
    expect(socketUrl({ protocol: "https:", host: "pytake.example" })).toBe("wss://pytake.example/graphql");
    expect(socketUrl({ protocol: "http:", host: "127.0.0.1:8080" })).toBe("ws://127.0.0.1:8080/graphql");
  });
});
