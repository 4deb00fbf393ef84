import type { components } from "../../api/schema";
import { problemFieldPath, type FieldPath, type Problem } from "../../api/problem";
import type { TokenClaims } from "../../auth/claims";

export type Place = components["schemas"]["intake__PlaceRead"];
export type PlaceHours = components["schemas"]["intake__PlaceHours"];
export type Period = components["schemas"]["intake__Period"];
export type Slot = components["schemas"]["intake__SlotRead"];
export type SlotGeneration = components["schemas"]["intake__SlotGenerationRead"];
export type Agreement = components["schemas"]["intake__EntrustmentRead"];

/** The three kinds of opening periods: ordinary (工作日), extended (错峰延时), weekend (周末). */
export type PeriodKind = "working_days" | "extended" | "weekend";
export const PERIOD_KINDS: PeriodKind[] = ["working_days", "extended", "weekend"];
/** The ISO weekdays a kind of period can name: weekend hours only open on Saturdays and Sundays. */
export const KIND_WEEKDAYS: Record<PeriodKind, number[]> = {
  working_days: [1, 2, 3, 4, 5, 6, 7],
  extended: [1, 2, 3, 4, 5, 6, 7],
  weekend: [6, 7],
};

/** One period as the hours form holds it: times "HH:MM", weekdays empty for every day. */
export interface PeriodRow {
  start?: string;
  end?: string;
  weekdays?: number[];
}
export type HoursForm = Record<PeriodKind, PeriodRow[]>;

/** "09:00:00" (as the API answers) or "09:00" as "09:00". */
export function hhmm(time: string | undefined): string {
  return (time ?? "").slice(0, 5);
}

/** Minutes since midnight of "HH:MM", or null when it is not a time. */
export function minutesOf(time: string | undefined): number | null {
  const m = /^(\d{2}):(\d{2})/.exec(time ?? "");
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  return h < 24 && min < 60 ? h * 60 + min : null;
}

/** A place's hours as the form's rows. */
export function hoursToForm(hours: PlaceHours | undefined): HoursForm {
  const rows = (periods: Period[] | undefined): PeriodRow[] =>
    (periods ?? []).map((p) => ({ start: hhmm(p.start), end: hhmm(p.end), weekdays: [...(p.weekdays ?? [])].sort() }));
  return { working_days: rows(hours?.working_days), extended: rows(hours?.extended), weekend: rows(hours?.weekend) };
}

/** The form's rows as the API's hours: weekdays sorted, left out when none is ticked (every day). */
export function formToHours(form: Partial<HoursForm>): PlaceHours {
  const periods = (rows: PeriodRow[] | undefined): Period[] =>
    (rows ?? []).map((r) => {
      const period: Period = { start: hhmm(r.start), end: hhmm(r.end) };
      if (r.weekdays && r.weekdays.length > 0) period.weekdays = [...new Set(r.weekdays)].sort((a, b) => a - b);
      return period;
    });
  return { working_days: periods(form.working_days), extended: periods(form.extended), weekend: periods(form.weekend) };
}

/** Words the hours are written with (from the page's texts). */
export interface HoursWords {
  /** "周一" for 1. */
  day: (n: number) => string;
  /** "周一至周五". */
  range: (from: string, to: string) => string;
  /** Between listed days: "、". */
  sep: string;
}

/** Weekdays as a person reads them: runs of three or more joined ("周一至周五"), others listed. */
export function weekdaysText(days: number[], words: HoursWords): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    if (j - i >= 2) parts.push(words.range(words.day(sorted[i]!), words.day(sorted[j]!)));
    else for (let k = i; k <= j; k++) parts.push(words.day(sorted[k]!));
    i = j + 1;
  }
  return parts.join(words.sep);
}

/** One period as text: "09:00–12:00", or "周二、周四 17:00–19:00" when it names weekdays. */
export function periodText(p: Period, words: HoursWords): string {
  const span = `${hhmm(p.start)}–${hhmm(p.end)}`;
  return p.weekdays && p.weekdays.length > 0 ? `${weekdaysText(p.weekdays, words)} ${span}` : span;
}

/** Whether staff with these claims manage a place of `unitCode` (access.manages_unit of intake-svc:
 * administrators every place, window clerks and supervisors their unit's and its sub-units'). */
export function managesUnit(claims: TokenClaims | null, unitCode: string): boolean {
  if (!claims || claims.kind !== "staff") return false;
  if (claims.roles.includes("admin")) return true;
  const own = claims.org_unit_code;
  const manager = claims.roles.includes("window_clerk") || claims.roles.includes("supervisor");
  return manager && !!own && (own === unitCode || own.startsWith(`${unitCode}-`));
}

/** Today in the district (Asia/Shanghai) as YYYY-MM-DD, whatever the device's zone. */
export function districtToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** `day` (YYYY-MM-DD) moved by `n` days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Days from `first` to `last`, both counted; null unless both are dates and `last` is not before `first`. */
export function daysInclusive(first: string | undefined, last: string | undefined): number | null {
  if (!first || !last) return null;
  const a = Date.parse(`${first}T00:00:00Z`);
  const b = Date.parse(`${last}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b) || b < a) return null;
  return Math.round((b - a) / 86_400_000) + 1;
}

/** Where an agreement stands today: revoked (已终止), not yet valid, expired, or in force. */
export type AgreementState = "revoked" | "pending" | "expired" | "active";

/** The state of an agreement on `today` (YYYY-MM-DD). */
export function agreementState(a: Pick<Agreement, "revoked_at" | "valid_from" | "valid_until">, today: string): AgreementState {
  if (a.revoked_at) return "revoked";
  if (today < a.valid_from) return "pending";
  if (today > a.valid_until) return "expired";
  return "active";
}

/** The agreements a unit is party to (entrusting or entrusted) and in a state, either filter optional. */
export function filterAgreements(list: Agreement[], filter: { unit?: string; state?: AgreementState }, today: string): Agreement[] {
  return list.filter(
    (a) =>
      (!filter.unit || a.entrusting_unit_code === filter.unit || a.entrusted_unit_code === filter.unit) &&
      (!filter.state || agreementState(a, today) === filter.state),
  );
}

/** A problem spread over a form: errors by field, the hours' own errors, and the rest. */
export interface FormProblem {
  fields: { name: FieldPath; errors: string[] }[];
  /** Errors of the hours as a whole (periods overlapping). */
  hours: string[];
  general: string[];
}

/**
 * Spread a problem over a form whose fields are `fields` (top-level names) and, if it has hours,
 * the hours editor's rows (`["hours", kind, i, "start" | "end" | "weekdays"]`). A domain problem
 * naming one field (`field: "code"`) goes under that field; `aliases` renames API fields
 * (`days` → `last_day`).
 */
export function spreadProblem(problem: Problem, fields: string[], aliases: Record<string, string> = {}): FormProblem {
  const single = typeof problem.field === "string" ? [{ field: `body.${problem.field}`, message: problem.detail, type: problem.code }] : [];
  const errors = problem.errors?.length ? problem.errors : single;
  const out: FormProblem = { fields: [], hours: [], general: [] };
  const add = (name: FieldPath, message: string) => {
    const key = JSON.stringify(name);
    const found = out.fields.find((f) => JSON.stringify(f.name) === key);
    if (found) found.errors.push(message);
    else out.fields.push({ name, errors: [message] });
  };
  for (const e of errors) {
    const path = problemFieldPath(e.field);
    const head = path ? String(path[0]) : "";
    const name = aliases[head] ?? head;
    if (path && head === "hours" && fields.includes("hours")) {
      const [, kind, index, part] = path;
      if (kind === undefined) out.hours.push(e.message);
      else if (index === undefined || typeof index !== "number") add(["hours", kind], e.message);
      else add(["hours", kind, index, part === "start" || part === "weekdays" ? part : "end"], e.message);
    } else if (path && fields.includes(name)) add([name], e.message);
    else out.general.push(e.message);
  }
  if (errors.length === 0) out.general.push(problem.detail);
  return out;
}
