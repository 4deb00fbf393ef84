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

/** One deciding unit's open cases per light, as `/supervision/summary` counts them. */
export type UnitLine = components["schemas"]["intake__SupervisionUnitLightsRead"];

/** The units' lines, most red first, then most yellow, then by unit code. */
export function unitLines(units: UnitLine[]): UnitLine[] {
  return [...units].sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.unit_code.localeCompare(b.unit_code));
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
