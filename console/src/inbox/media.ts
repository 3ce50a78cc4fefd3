import { createContext, useContext } from "react";

/** Hands out a valid access token for the few requests that are not GraphQL (media). */
export const AccessTokenContext = createContext<() => Promise<string | null>>(async () => null);

export function useAccessToken(): () => Promise<string | null> {
  return useContext(AccessTokenContext);
}
