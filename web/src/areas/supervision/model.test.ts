import { describe, expect, it } from "vitest";
import { byUnit, monthsUpTo, percent, sampleOf, sharePercent, withSample, type BoardCase } from "./model";

describe("rates as people read them", () => {
  it("shows evaluation's shares and hotline's percentages alike, and no base as a dash", () => {
    expect(sharePercent(0.6667)).toBe("66.7%");
    expect(sharePercent(1)).toBe("100.0%");
    expect(sharePercent(null)).toBe("—");
    expect(percent(66.67)).toBe("66.7%");
    expect(percent(null)).toBe("—");
  });
  it("puts the sample size beside the rate", () => {
    expect(withSample("92.5%", 40)).toBe("92.5%（n=40）");
    expect(sampleOf("good_rate", { ratings: 12, ratings_good: 11 })).toBe(12);
    expect(sampleOf("hotline_resolution_rate", {})).toBe(0);
  });
});

describe("months", () => {
  it("counts back across a year", () => {
    expect(monthsUpTo("2026-02", 4)).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });
});

describe("the supervision board", () => {
  const c = (unit: string, colour: BoardCase["colour"], paused = false): BoardCase => ({
    id: Math.random().toString(),
    application_no: "N",
    item_name: "I",
    owner_unit_code: unit,
    status: paused ? "suspended" : "under_review",
    due_on: null,
    remaining_working_days: null,
    colour,
    paused,
    overdue_flagged: colour === "red",
    provisional_deadline: false,
  });
  it("counts each unit's lights, the unit with most red cases first", () => {
    const lines = byUnit([c("A", "green"), c("B", "red"), c("B", "yellow", true), c("A", "yellow"), c("C", "red"), c("C", "red")]);
    expect(lines.map((l) => l.unit)).toEqual(["C", "B", "A"]);
    expect(lines[1]).toEqual({ unit: "B", red: 1, yellow: 1, green: 0, paused: 1, flagged: 1, total: 2 });
  });
});
