// Hash routes, so a reload or a shared link opens the same page without server routes:
// #/conversations/<id> (the inbox), #/queues and #/queues/<id> (the queue monitor), #/flows and
// #/flows/<id> (the flow editor).
import { useEffect, useState } from "react";

export type Route =
  | { page: "inbox"; id: string | null }
  | { page: "queues"; id: string | null }
  | { page: "flows"; id: string | null };

export function parseRoute(hash: string): Route {
  const [, page, id] = /^#\/(conversations|queues|flows)(?:\/([\w-]+))?\/?$/.exec(hash) ?? [];
  if (page === "queues" || page === "flows") return { page, id: id ?? null };
  return { page: "inbox", id: page === "conversations" ? (id ?? null) : null };
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
  }, []);
  return route;
}
