import { createContext, useCallback, useContext, useEffect, useRef } from "react";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import type { EventOf, LiveUpdates, StreamHandlers } from "./live";

export const LiveContext = createContext<LiveUpdates | null>(null);

export function useLiveUpdates(): LiveUpdates {
  const live = useContext(LiveContext);
  if (!live) throw new Error("useLiveUpdates outside LiveContext");
  return live;
}

export interface Me {
  id: string;
  name: string;
  role: "OWNER" | "ADMIN" | "SUPERVISOR" | "AGENT";
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe outside MeContext");
  return me;
}

/** Follows a live stream while the component is mounted (and its key stays the same); the
 * handlers may change on every render without resubscribing. */
export function useLive<D, V, K extends keyof D & string>(
  document: TypedDocumentNode<D, V>,
  variables: Omit<V, "after">,
  field: K,
  handlers: StreamHandlers<EventOf<D, K>>,
  key: string,
): void {
  const live = useLiveUpdates();
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(
    () =>
      live.follow<D, V, K>(document, variables, field, {
        event: (event) => latest.current.event(event),
        gap: () => latest.current.gap?.(),
      }),
    // The stream is keyed explicitly: variables are a fresh object on every render.
    [live, document, field, key],
  );
}

/** Runs once after each burst of calls (events): one read however many things moved at once. */
export function useCoalesced(run: () => void, delayMs = 80): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, delayMs);
  }, [delayMs]);
}
