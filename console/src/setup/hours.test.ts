import { describe, expect, it } from "vitest";
import { hoursText, hoursValue } from "./TeamSettings";

describe("working hours in the settings forms", () => {
  it("are shown as one line per day and read back as PyTake's weekly intervals", () => {
    const stored = { timeZone: "America/Recife", weekly: { monday: [["09:00", "12:00"], ["13:00", "18:00"]] } };
    const text = hoursText(stored);
    expect(text.monday).toBe("09:00-12:00, 13:00-18:00");
    expect(text.sunday).toBe("");
    expect(hoursValue("America/Recife", text)).toEqual(stored);
  });
});
