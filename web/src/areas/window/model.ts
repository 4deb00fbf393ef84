import type { components } from "../../api/schema";
import type { LightColour } from "../../staff/Light";

/**
 * The window console's pure rules: which cases need the clerk and what they must do next, the
 * working days left to a deadline (the calendar's exceptions to Monday–Friday), the light, the work
 * list's order, and the checks of what the clerk types (resident ID, mobile).
 */

export type Summary = components["schemas"]["intake__ApplicationSummaryRead"];
export type Application = components["schemas"]["intake__ApplicationRead"];
export type SupervisionCase = components["schemas"]["intake__SupervisionCaseRead"];
export type CalendarDay = components["schemas"]["intake__CalendarDayRead"];
export type Status = Summary["status"];

/** The states in which a case waits for the window (审查受理, 补正, 转交, 送达), in the order of the work. */
export const WINDOW_STATUSES = ["submitted", "correction_requested", "accepted", "completed"] as const satisfies readonly Status[];
export type WindowStatus = (typeof WINDOW_STATUSES)[number];

/** intake's default for a yellow light (INTAKE_YELLOW_WORKING_DAYS): this many working days left or fewer. */
export const YELLOW_WORKING_DAYS = 3;

/** Today's date in the district (Asia/Shanghai), YYYY-MM-DD. */
export function districtToday(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

const DAY_MS = 86_400_000;
const toUtc = (day: string) => Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
const fromUtc = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** A working calendar: Monday–Friday, except the days the calendar lists (holidays, make-up days). */
export function workingCalendar(exceptions: Pick<CalendarDay, "day" | "is_working_day">[]) {
  const special = new Map(exceptions.map((d) => [d.day.slice(0, 10), d.is_working_day]));
  const isWorking = (day: string) => {
    const known = special.get(day);
    if (known !== undefined) return known;
    const weekday = new Date(toUtc(day)).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  };
  /** Working days in (start, end]; negative when end is before start (intake's working_days_between). */
  const between = (start: string, end: string): number => {
    if (end < start) return -between(end, start);
    let count = 0;
    for (let ms = toUtc(start) + DAY_MS; ms <= toUtc(end); ms += DAY_MS) if (isWorking(fromUtc(ms))) count += 1;
    return count;
  };
  return { isWorking, between };
}
export type WorkingCalendar = ReturnType<typeof workingCalendar>;

/** The light for `remaining` working days (intake's rule: past due red, ≤ 3 left yellow). */
export function lightOf(remaining: number, yellowDays: number = YELLOW_WORKING_DAYS): LightColour {
  if (remaining < 0) return "red";
  return remaining <= yellowDays ? "yellow" : "green";
}

/** The deadline the window works to in a case's state: the notice window, the correction deadline, the promised date. */
export function deadlineOf(status: Status, detail: Pick<Application, "notice_due_on" | "correction_deadline" | "due_on"> | undefined, summaryDue: string | null | undefined): string | null {
  if (status === "submitted") return detail?.notice_due_on ?? null;
  if (status === "correction_requested") return detail?.correction_deadline ?? null;
  if (status === "accepted") return detail?.due_on ?? summaryDue ?? null;
  return null;
}

export interface WorkRow {
  id: string;
  applicationNo: string;
  itemName: string;
  applicant: string;
  status: Status;
  receivedAt: string;
  /** The deadline in force (YYYY-MM-DD), if the state has one. */
  deadline: string | null;
  remaining: number | null;
  colour: LightColour | null;
  paused: boolean;
}

/**
 * One work-list row per case: the supervision board's light where it has one (accepted cases: it
 * knows special procedures), else the light of the state's deadline counted on the calendar.
 */
export function workRow(
  s: Summary,
  detail: Pick<Application, "notice_due_on" | "correction_deadline" | "due_on"> | undefined,
  board: SupervisionCase | undefined,
  calendar: WorkingCalendar | null,
  today: string,
): WorkRow {
  const base = { id: s.id, applicationNo: s.application_no, itemName: s.item_name, applicant: s.applicant_name, status: s.status, receivedAt: s.received_at };
  if (board) {
    return { ...base, deadline: board.due_on ?? null, remaining: board.remaining_working_days ?? null, colour: board.colour, paused: board.paused };
  }
  const deadline = deadlineOf(s.status, detail, s.due_on);
  if (!deadline || !calendar) return { ...base, deadline, remaining: null, colour: null, paused: false };
  const remaining = calendar.between(today, deadline);
  return { ...base, deadline, remaining, colour: lightOf(remaining), paused: false };
}

/** By deadline, the nearest (and overdue) first; cases without one (results to deliver) after, oldest first. */
export function byDeadline(a: WorkRow, b: WorkRow): number {
  if (a.deadline && b.deadline) return a.deadline.localeCompare(b.deadline) || a.receivedAt.localeCompare(b.receivedAt);
  if (a.deadline) return -1;
  if (b.deadline) return 1;
  return a.receivedAt.localeCompare(b.receivedAt);
}

/** Does the row match what the clerk typed (part of the application number, or the applicant's name)? */
export function matches(row: Pick<WorkRow, "applicationNo" | "applicant">, query: string): boolean {
  const q = query.trim().toUpperCase();
  if (!q) return true;
  return row.applicationNo.toUpperCase().includes(q) || row.applicant.toUpperCase().includes(q);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** A mainland resident ID (居民身份证号): 18 characters, a real birth date, the GB 11643 check digit. */
export function isResidentId(value: string): boolean {
  const id = value.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  const ms = toUtc(birth);
  if (Number.isNaN(ms) || fromUtc(ms) !== birth) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(id[i]), 0);
  return ID_CHECK[sum % 11] === id[17];
}

export const MOBILE = /^1[3-9]\d{9}$/;

/** What the clerk typed to find a person: a resident ID, a mobile, or neither. */
export function lookupKind(value: string): "resident_id" | "phone" | null {
  const v = value.trim();
  if (MOBILE.test(v)) return "phone";
  if (isResidentId(v)) return "resident_id";
  return null;
}

/** The window's next step on a case, from the actions intake offers the clerk (first wins). */
export const ACTION_ORDER = ["accept_on_the_spot", "accept", "issue_notice", "refuse_acceptance", "hand_over", "deliver", "correct_deficiencies", "withdraw"] as const;

/** The actions this console shows, in its order, of those intake offers. */
export function windowActions(allowed: readonly string[]): string[] {
  return ACTION_ORDER.filter((a) => allowed.includes(a));
}

type MaterialSubmit = components["schemas"]["intake__MaterialSubmit"];

/** A material as the window sees it: what the item asks for, whether it is needed for the conditions chosen. */
export interface WindowSlot {
  key: string;
  name: string;
  needed: boolean;
  exempt: boolean;
  /** Replaced by the signed commitment (告知承诺): not taken in. */
  committed?: boolean;
  originals: number;
  copies: number;
}

/**
 * The materials the clerk took in at the counter: each one ticked as received is recorded as paper
 * (原件 and/or 复印件, with the item's counts). intake's completeness check finds what is still
 * missing; a material not ticked is simply not sent.
 */
export function receivedMaterials(slots: WindowSlot[], received: Record<string, boolean | undefined>): MaterialSubmit[] {
  return slots
    .filter((s) => s.needed && !s.exempt && received[s.key])
    .map((s) => {
      const media: ("original" | "copy")[] = [];
      if (s.originals > 0) media.push("original");
      if (s.copies > 0) media.push("copy");
      return { name: s.name, provided_as: "paper", media: media.length ? media : ["original"], originals: s.originals, copies: s.copies };
    });
}
