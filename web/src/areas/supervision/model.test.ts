import { describe, expect, it } from "vitest";
import { monthsUpTo, percent, sampleOf, sharePercent, unitLines, withSample, type UnitLine } from "./model";

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
  const line = (unit_code: string, red: number, yellow: number, green = 0): UnitLine => ({
    unit_code,
    red,
    yellow,
    green,
    paused: 0,
    open: red + yellow + green,
  });
  it("lists the units with the most red cases first, then the most yellow, then by code", () => {
    const lines = unitLines([line("A", 0, 1, 9), line("B", 1, 1), line("C", 2, 0), line("D", 1, 1)]);
    expect(lines.map((l) => l.unit_code)).toEqual(["C", "B", "D", "A"]);
  });
});
