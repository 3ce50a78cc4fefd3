// The queue monitor's decisions, apart from the page: who can take an item, where it can go,
// how long it has waited.
import type { AgentStatus } from "../gql/graphql";

export interface MonitorAgent {
  user: { id: string; name: string };
  status: AgentStatus;
  load: number;
  capacity: number;
}

/** Agents PyTake would accept for an assignment: online and with room (assignItem refuses the
 * others); the emptiest first, so a supervisor balances the load by picking the first. */
export function assignableAgents(agents: readonly MonitorAgent[], exceptId?: string | null): MonitorAgent[] {
  return agents
    .filter((a) => a.status === "ONLINE" && a.load < a.capacity && a.user.id !== exceptId)
    .sort((a, b) => a.load / a.capacity - b.load / b.capacity || a.user.name.localeCompare(b.user.name));
}

/** A duration as a clock shows it: 0:07, 4:05, 1:02:03. Negative spans (clock skew) read 0:00. */
export function clock(seconds: number): string {
  const whole = Math.max(0, Math.floor(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const two = (n: number) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function since(iso: string, now: number): string {
  return clock((now - Date.parse(iso)) / 1000);
}

export type Destination = { kind: "queue"; id: string } | { kind: "agent"; id: string };

export function encodeDestination(destination: Destination): string {
  return `${destination.kind}:${destination.id}`;
}

export function decodeDestination(value: string): Destination | null {
  const [kind, id] = value.split(":", 2);
  if (!id) return null;
  if (kind === "queue" || kind === "agent") return { kind, id };
  return null;
}
