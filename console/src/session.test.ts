import { beforeEach, describe, expect, it } from "vitest";
import { Session, storeTokens, type Tokens } from "./session";

function tokens(name: string, minutesLeft: number): Tokens {
  return {
    accessToken: `access-${name}`,
    refreshToken: `refresh-${name}`,
    accessTokenExpiresAt: new Date(Date.now() + minutesLeft * 60_000).toISOString(),
  };
}

describe("the session", () => {
  beforeEach(() => localStorage.clear());

  it("uses a fresh access token as it is", async () => {
    storeTokens(tokens("a", 10));
    const session = new Session(async () => ({ refused: "unused" }));
    expect(await session.accessToken()).toBe("access-a");
  });

  it("renews a token about to expire once, however many ask at the same time", async () => {
    storeTokens(tokens("a", 0.1));
    const spent: string[] = [];
    const session = new Session(async (refreshToken) => {
      spent.push(refreshToken);
      return { tokens: tokens("b", 15) };
    });
    const answers = await Promise.all([session.accessToken(), session.accessToken()]);
    expect(answers).toEqual(["access-b", "access-b"]);
    expect(spent).toEqual(["refresh-a"]);
    expect(JSON.parse(localStorage.getItem("pytake.session")!).refreshToken).toBe("refresh-b");
  });

  it("adopts the pair another tab renewed instead of spending the old refresh token again", async () => {
    storeTokens(tokens("a", 0.1));
    const session = new Session(async () => {
      throw new Error("a second use of refresh-a would revoke the sign-in");
    });
    storeTokens(tokens("other-tab", 15));
    expect(await session.accessToken()).toBe("access-other-tab");
  });

  it("signs out when PyTake refuses the refresh token", async () => {
    storeTokens(tokens("a", 0.1));
    const session = new Session(async () => ({ refused: "revoked" }));
    const seen: (Tokens | null)[] = [];
    session.onChange((t) => seen.push(t));
    expect(await session.accessToken()).toBeNull();
    expect(seen).toEqual([null]);
    expect(localStorage.getItem("pytake.session")).toBeNull();
  });
});
