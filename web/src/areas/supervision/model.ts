import type { components } from "../../api/schema";

export type BoardCase = components["schemas"]["intake__SupervisionCaseRead"];
export type IndicatorValues = components["schemas"]["evaluation__IndicatorValues"];

/** A share from evaluation-svc (0–1, four places) as a percentage with one decimal, "—" with no base. */
export function sharePercent(share: number | null | undefined): string {
  if (share === null || share === undefined) return "—";
  return `${(Math.round(share * 1000) / 10).toFixed(1)}%`;
}

/** A percentage from hotline-svc (0–100, two places) as shown, "—" with no base. */
export function percent(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  return `${value.toFixed(1)}%`;
}

/** A rate with its sample size beside it: "92.5%（n=40）" — a rate never stands without its base. */
export function withSample(rate: string, n: number): string {
  return `${rate}（n=${n}）`;
}

/** The month of a date in the district (YYYY-MM). */
export function monthOf(date: Date): string {
  return date.toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" }).slice(0, 7);
}

/** The `count` months up to and including `month`, oldest first. */
export function monthsUpTo(month: string, count: number): string[] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const index = y * 12 + (m - 1) - (count - 1 - i);
    return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
  });
}

export interface UnitLine {
  unit: string;
  red: number;
  yellow: number;
  green: number;
  paused: number;
  flagged: number;
  total: number;
}

/** The open cases per deciding unit: counts of each light, most red first. */
export function byUnit(cases: BoardCase[]): UnitLine[] {
  const lines = new Map<string, UnitLine>();
  for (const c of cases) {
    const line = lines.get(c.owner_unit_code) ?? { unit: c.owner_unit_code, red: 0, yellow: 0, green: 0, paused: 0, flagged: 0, total: 0 };
    line[c.colour] += 1;
    line.total += 1;
    if (c.paused) line.paused += 1;
    if (c.overdue_flagged) line.flagged += 1;
    lines.set(c.owner_unit_code, line);
  }
  return [...lines.values()].sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.unit.localeCompare(b.unit));
}

/** The sample a share of evaluation's indicators was computed over (its denominator's counter). */
export const SAMPLE_OF: Partial<Record<keyof IndicatorValues, string>> = {
  good_rate: "ratings",
  rated_share: "services",
  rectification_rate: "ratings_bad",
  callback_rate: "ratings_bad",
  rectification_satisfaction: "responses_rated",
  hotline_response_rate: "response_due",
  hotline_resolution_rate: "tickets_called_back",
  hotline_satisfaction_rate: "tickets_called_back",
  on_the_spot_share: "completed",
  online_intake_share: "applied",
  zero_visit_share: "completed",
  avg_visits: "completed",
  avg_completion_days: "completion_timed",
};

/** The sample size of an indicator from a row's counters (0 when the counter is absent). */
export function sampleOf(indicator: keyof IndicatorValues, counters: Record<string, number>): number {
  const counter = SAMPLE_OF[indicator];
  return counter ? (counters[counter] ?? 0) : 0;
}
