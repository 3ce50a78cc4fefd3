// Hash routes, so a reload or a shared link opens the same page without server routes:
// #/conversations/<id> (the inbox), #/queues and #/queues/<id> (the queue monitor), #/flows and
// #/flows/<id> (the flow editor), #/team (members and invitations), #/notifications (the
// person's notification preferences), #/onboarding (the guided
// setup), #/settings/<section> (numbers, templates), #/ai/<section> (insights, intents,
// replies), #/invitations/<token> (the
// page an invitation link opens).
import { useEffect, useState } from "react";

export type Route =
  | { page: "inbox"; id: string | null }
  | { page: "queues"; id: string | null }
  | { page: "flows"; id: string | null }
  | { page: "team"; id: null }
  | { page: "onboarding"; id: null }
  | { page: "notifications"; id: null }
  | { page: "settings"; id: string | null }
  | { page: "ai"; id: string | null }
  | { page: "invitation"; id: string };

export function parseRoute(hash: string): Route {
  const invitation = /^#\/invitations\/([\w-]+)$/.exec(hash);
  if (invitation?.[1]) return { page: "invitation", id: invitation[1] };
  if (/^#\/team\/?$/.test(hash)) return { page: "team", id: null };
  if (/^#\/onboarding\/?$/.test(hash)) return { page: "onboarding", id: null };
  if (/^#\/notifications\/?$/.test(hash)) return { page: "notifications", id: null };
  const [, page, id] = /^#\/(conversations|queues|flows|settings|ai)(?:\/([\w-]+))?\/?$/.exec(hash) ?? [];
  if (page === "queues" || page === "flows" || page === "settings" || page === "ai") {
    return { page, id: id ?? null };
  }
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
