import { ApiError } from "../../api/errors";
import { problemFieldPath } from "../../api/problem";
import type { components } from "../../api/schema";

type S = components["schemas"];
export type Category = S["hotline__CategoryRead"];
export type DispatchRule = S["hotline__DispatchRuleRead"];
export type DispatchRuleBody = S["hotline__DispatchRuleCreate"];
export type TimeLimitRule = S["hotline__TimeLimitRuleRead"];
export type TimeLimitUnit = TimeLimitRule["unit"];
export type EscalationRule = S["hotline__EscalationRuleRead"];
export type EscalationRuleBody = S["hotline__EscalationRuleCreate"];
export type EscalationTarget = EscalationRule["target"];
export type WatchedStatus = EscalationRule["statuses"][number];
export type RequestType = NonNullable<EscalationRule["request_type"]>;
export type RankingRule = S["evaluation__RankingRuleRead"];
export type RankingRuleBody = S["evaluation__RankingRuleUpdate"];
export type Dimension = S["evaluation__Dimension"];
export type IndicatorName = S["evaluation__IndicatorName"];
export type OrgNode = S["identity__OrgUnitNodeRead"];

/** "Anywhere in the district" as a dispatch rule's area. */
export const ANYWHERE = "*";
export const LIMIT_UNITS: TimeLimitUnit[] = ["hours", "working_days", "natural_days"];
export const WATCHED: WatchedStatus[] = ["registered", "dispatched", "returned", "in_progress"];
export const TARGETS: EscalationTarget[] = ["handler", "unit_supervisor", "district_office", "unit", "staff"];
export const REQUEST_TYPES: RequestType[] = ["enquiry", "help", "complaint", "report", "suggestion", "praise"];
export const DIMENSIONS: Dimension[] = ["unit", "window", "staff", "item"];
export const INDICATORS: IndicatorName[] = [
  "good_rate",
  "ratings",
  "rated_share",
  "bad_reviews",
  "rectification_rate",
  "callback_rate",
  "rectification_satisfaction",
  "hotline_response_rate",
  "hotline_resolution_rate",
  "hotline_satisfaction_rate",
  "on_the_spot_share",
  "limit_compression",
  "avg_visits",
  "online_intake_share",
  "avg_completion_days",
  "zero_visit_share",
  "conversion",
];
/** Indicators that are counts or averages; every other one is a share from 0 to 1 (evaluation's `percent=False`). */
const PLAIN_INDICATORS = new Set<IndicatorName>(["ratings", "bad_reviews", "avg_visits", "avg_completion_days"]);
/** A ranking rule's name in paths (evaluation-svc's RULE_NAME_PATTERN). */
export const RULE_NAME = /^[a-z][a-z0-9_]{0,39}$/;

/** Who may change each kind of rule (the services' checks; the API decides, this only hides buttons). */
export const EDITORS = {
  dispatch: ["dispatcher", "supervisor", "admin"],
  timeLimits: ["supervisor", "admin"],
  escalations: ["supervisor", "admin"],
  ranking: ["evaluator", "admin"],
} as const;
export type RuleKind = keyof typeof EDITORS;

/** True when a staff account with these roles may change rules of this kind. */
export function mayEdit(kind: RuleKind, claims: { kind: string; roles: string[] } | null | undefined): boolean {
  if (!claims || claims.kind !== "staff") return false;
  return EDITORS[kind].some((r) => claims.roles.includes(r));
}

export interface FieldProblems {
  /** Errors under the form's fields, in `form.setFields` shape. */
  fields: { name: string; errors: string[] }[];
  /** What no field shows: above the form. */
  general: string[];
}

/** `co_unit_codes[0]` or `co_unit_codes.0` → `co_unit_codes`. */
function fieldName(raw: string): string {
  return raw.replace(/\[\d+\]$/, "").split(".")[0] ?? "";
}

/**
 * Spread a failed call's problem over a form's fields: validation errors (`errors[].field`, e.g.
 * `body.amount`, `path.name`) and a domain problem naming one field (`field: "lead_unit_code"`)
 * go under their field (`aliases` renames API fields the form calls otherwise); the rest, or
 * `fallback` when the platform sent no problem, goes above the form.
 */
export function problemFields(error: unknown, fields: string[], fallback: string, aliases: Record<string, string> = {}): FieldProblems {
  if (!(error instanceof ApiError) || !error.problem) return { fields: [], general: [fallback] };
  const problem = error.problem;
  const byName = new Map<string, string[]>();
  const general: string[] = [];
  const place = (raw: string | null, message: string) => {
    const name = raw === null ? null : aliases[raw] ?? fieldName(raw);
    if (name !== null && fields.includes(name)) byName.set(name, [...(byName.get(name) ?? []), message]);
    else general.push(message);
  };
  if (problem.errors?.length) {
    for (const e of problem.errors) {
      const path = problemFieldPath(e.field);
      place(path ? path.join(".") : null, e.message);
    }
  } else {
    const named = typeof problem.field === "string" ? problem.field : null;
    place(named, problem.detail);
  }
  return { fields: [...byName.entries()].map(([name, errors]) => ({ name, errors })), general };
}

/** Every entry of a paged collection (pages of 200 until `total`), for lists kept whole in the browser. */
export async function allPages<T>(page: (offset: number) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const got = await page(items.length);
    items.push(...got.items);
    if (got.items.length === 0 || items.length >= got.total) return items;
  }
}


/** Chinese-aware comparison of two texts, for sorting tables. */
export function byText(a: string, b: string): number {
  return a.localeCompare(b, "zh-CN");
}

export interface DispatchFilter {
  category?: string;
  area?: string;
  /** A unit that leads or co-handles. */
  unit?: string;
}

/** The rules matching a filter: category, area and a unit leading or co-handling (each optional). */
export function filterDispatch(rules: DispatchRule[], f: DispatchFilter): DispatchRule[] {
  return rules.filter(
    (r) =>
      (!f.category || r.category_code === f.category) &&
      (!f.area || r.area_code === f.area) &&
      (!f.unit || r.lead_unit_code === f.unit || r.co_unit_codes.includes(f.unit)),
  );
}

/** A dispatch rule's body from the form: codes trimmed, co-handlers without repeats or the lead unit. */
export function dispatchBody(v: { category_code: string; area_code: string; lead_unit_code: string; co_unit_codes?: string[] }): DispatchRuleBody {
  const lead = v.lead_unit_code.trim();
  const co = [...new Set((v.co_unit_codes ?? []).map((c) => c.trim()).filter((c) => c && c !== lead))];
  return { category_code: v.category_code.trim(), area_code: v.area_code.trim(), lead_unit_code: lead, co_unit_codes: co };
}

/** Roughly how many hours a time limit lasts (working days as 7/5 calendar days), to sort by length. */
export function approxHours(rule: { amount: number; unit: TimeLimitUnit }): number {
  if (rule.unit === "hours") return rule.amount;
  if (rule.unit === "natural_days") return rule.amount * 24;
  return (rule.amount * 24 * 7) / 5;
}

/** The rule codes hotline-svc chooses by a ticket's flags, not by its category (`limits.rule_for`). */
export const FLAG_RULES = ["urgent", "complex"] as const;
/** The rule a category without its own falls back to. */
export const GENERAL_RULE = "general";

/** The names of the categories each time-limit rule applies to (a category without one: `general`). */
export function categoriesByRule(categories: Category[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of categories) {
    const code = c.time_limit_rule ?? GENERAL_RULE;
    out.set(code, [...(out.get(code) ?? []), c.name]);
  }
  return out;
}

/** 0.75 → 75 (the form asks for a percentage of the time limit). */
export function shareToPercent(share: number): number {
  return Math.round(share * 10000) / 100;
}

/** 75 → 0.75. */
export function percentToShare(percent: number): number {
  return Math.round(percent * 100) / 10000;
}

export interface EscalationValues {
  name: string;
  kind: EscalationRule["kind"];
  basis: EscalationRule["basis"];
  statuses: WatchedStatus[];
  /** A percentage of the time limit. */
  after_percent: number;
  plus_hours?: number | null;
  target: EscalationTarget;
  target_unit_code?: string | null;
  target_staff_id?: string | null;
  request_type?: RequestType | null;
  category_code?: string | null;
  active?: boolean;
}

/** An escalation rule's body from the form: the named unit or person only for the target that needs it. */
export function escalationBody(v: EscalationValues): EscalationRuleBody {
  return {
    name: v.name.trim(),
    kind: v.kind,
    basis: v.basis,
    statuses: [...new Set(v.statuses)],
    after_share: percentToShare(v.after_percent),
    plus_hours: v.plus_hours ?? 0,
    target: v.target,
    target_unit_code: v.target === "unit" ? v.target_unit_code || null : null,
    target_staff_id: v.target === "staff" ? v.target_staff_id || null : null,
    request_type: v.request_type || null,
    category_code: v.category_code || null,
    active: v.active ?? true,
  };
}

/** The form's values for an existing escalation rule. */
export function escalationValues(r: EscalationRule): EscalationValues {
  return {
    name: r.name,
    kind: r.kind,
    basis: r.basis,
    statuses: r.statuses,
    after_percent: shareToPercent(r.after_share),
    plus_hours: r.plus_hours,
    target: r.target,
    target_unit_code: r.target_unit_code,
    target_staff_id: r.target_staff_id,
    request_type: r.request_type,
    category_code: r.category_code,
    active: r.active,
  };
}

/** True when the indicator is a share (0–1) shown as a percentage. */
export function isShare(indicator: IndicatorName): boolean {
  return !PLAIN_INDICATORS.has(indicator);
}

/** An indicator's value as people read it: a share as a percentage, else the number. */
export function formatIndicator(indicator: IndicatorName, value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (isShare(indicator)) return `${(Math.round(value * 10000) / 100).toString()}%`;
  return (Math.round(value * 100) / 100).toString();
}

export interface RankingValues {
  name?: string;
  title: string;
  dimension: Dimension;
  indicator: IndicatorName;
  min_ratings: number;
  min_value?: number | null;
  max_bad_reviews?: number | null;
  top_n: number;
}

/** A ranking rule's body from the form (empty thresholds are none). */
export function rankingBody(v: RankingValues): RankingRuleBody {
  return {
    title: v.title.trim(),
    dimension: v.dimension,
    indicator: v.indicator,
    min_ratings: v.min_ratings,
    min_value: v.min_value ?? null,
    max_bad_reviews: v.max_bad_reviews ?? null,
    top_n: v.top_n,
  };
}

/** The last `count` months, newest first, as YYYY-MM (the ranking preview's choices). */
export function recentMonths(now: Date, count: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const d = new Date(now.getFullYear(), now.getMonth() - i, 1);
    out.push(`${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}`);
  }
  return out;
}
