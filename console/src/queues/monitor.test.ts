import { describe, expect, it } from "vitest";
import { customerName } from "../contacts";
import type { AgentStatus } from "../gql/graphql";
import {
  assignableAgents,
  clock,
  decodeDestination,
  encodeDestination,
  type MonitorAgent,
} from "./monitor";

function agent(name: string, status: AgentStatus, load: number, capacity: number): MonitorAgent {
  return { user: { id: name.toLowerCase(), name }, status, load, capacity };
}

describe("assignableAgents", () => {
  it("offers only online agents with room, the emptiest first", () => {
    const agents = [
      agent("Bia", "ONLINE", 2, 3),
      agent("Caio", "ONLINE", 3, 3),
      agent("Dora", "AWAY", 0, 3),
      agent("Ana", "ONLINE", 0, 2),
      agent("Edu", "ONLINE", 1, 3),
    ];
    expect(assignableAgents(agents).map((a) => a.user.name)).toEqual(["Ana", "Edu", "Bia"]);
  });

  it("leaves out the agent already serving the item", () => {
    const agents = [agent("Ana", "ONLINE", 1, 3), agent("Bia", "ONLINE", 1, 3)];
    expect(assignableAgents(agents, "ana").map((a) => a.user.name)).toEqual(["Bia"]);
  });
});

describe("clock", () => {
  it("reads like a stopwatch", () => {
    expect(clock(7.9)).toBe("0:07");
    expect(clock(245)).toBe("4:05");
    expect(clock(3723)).toBe("1:02:03");
    expect(clock(-3)).toBe("0:00");
  });
});

describe("customerName", () => {
  it("prefers the WhatsApp name, then the username, then the number", () => {
    expect(customerName({ contact: { profileName: "Maria", waId: "5511" } })).toBe("Maria");
    expect(customerName({ contact: { username: "@maria", waId: "5511" } })).toBe("@maria");
    expect(customerName({ contact: { waId: "5511987650001" } })).toBe("+5511987650001");
    expect(customerName(null)).toBeNull();
  });
});

describe("destinations", () => {
  it("round-trip through a select's value and refuse anything else", () => {
    expect(decodeDestination(encodeDestination({ kind: "queue", id: "q-1" }))).toEqual({ kind: "queue", id: "q-1" });
    expect(decodeDestination("agent:u-1")).toEqual({ kind: "agent", id: "u-1" });
    expect(decodeDestination("")).toBeNull();
    expect(decodeDestination("team:x")).toBeNull();
  });
});
