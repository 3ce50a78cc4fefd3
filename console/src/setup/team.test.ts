import { describe, expect, it } from "vitest";
import { invitableRoles } from "./TeamPage";

describe("who may be invited", () => {
  it("follows PyTake's rule: owners invite anyone, admins those below them, others nobody", () => {
    expect(invitableRoles("OWNER")).toEqual(["AGENT", "SUPERVISOR", "ADMIN", "OWNER"]);
    expect(invitableRoles("ADMIN")).toEqual(["AGENT", "SUPERVISOR"]);
    expect(invitableRoles("SUPERVISOR")).toEqual([]);
  });
});
