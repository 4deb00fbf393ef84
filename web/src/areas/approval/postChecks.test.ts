import { describe, expect, it } from "vitest";
import { daysUntil } from "./postChecks";

describe("post-check due dates", () => {
  it("counts the days left, negative when overdue, across a month end", () => {
    expect(daysUntil("2026-12-25", "2026-12-05")).toBe(20);
    expect(daysUntil("2026-11-30", "2026-12-02")).toBe(-2);
    expect(daysUntil("2027-01-01", "2026-12-31")).toBe(1);
  });
});
