/** Pure rules of the service hall (排队叫号, 限时等候): no browser state, tested in model.test.ts. */
import type { components } from "../../api/schema";

export type Ticket = components["schemas"]["intake__QueueTicketRead"];
export type HallRead = components["schemas"]["intake__HallRead"];
export type HallUpdate = components["schemas"]["intake__HallUpdate"];
export type HallDisplay = components["schemas"]["intake__HallDisplayRead"];
export type DisplayCall = components["schemas"]["intake__DisplayCallRead"];
export type ClerkWindow = components["schemas"]["intake__ClerkWindowRead"];
export type WaitIndicator = components["schemas"]["intake__QueueWaitIndicatorRead"];
export type TicketStatus = Ticket["status"];
export type LightColour = "green" | "yellow" | "red";

/** The share of the waiting limit after which a waiting number's light turns yellow. */
export const YELLOW_SHARE = 0.75;

/** Whole minutes a number has waited since it was taken (never negative). */
export function minutesWaited(takenAt: string, now: number): number {
  const taken = Date.parse(takenAt);
  if (Number.isNaN(taken)) return 0;
  return Math.max(0, Math.floor((now - taken) / 60_000));
}

/**
 * The 限时等候 light of a waiting number: red once it has waited its limit, yellow from three
 * quarters of it or from 5 minutes before it, whichever comes first; green before.
 */
export function waitLight(waited: number, limitMinutes: number): LightColour {
  if (waited >= limitMinutes) return "red";
  if (waited >= Math.min(limitMinutes * YELLOW_SHARE, limitMinutes - 5)) return "yellow";
  return "green";
}

/** Minutes left before a number goes over its limit (negative: over by that many). */
export function minutesLeft(waited: number, limitMinutes: number): number {
  return limitMinutes - waited;
}

/**
 * The clerk's work list: the numbers waiting for the window's categories, in the order the API
 * calls them — checked-in appointments first, then the oldest (which is the order of their
 * 限时等候 deadlines, as every number of a day is held to the hall's limit).
 */
export function workList(tickets: Ticket[], categories: string[]): Ticket[] {
  return tickets
    .filter((t) => t.status === "waiting" && (categories.length === 0 || categories.includes(t.category_code)))
    .sort(
      (a, b) =>
        Number(b.priority) - Number(a.priority) || Date.parse(a.taken_at) - Date.parse(b.taken_at) || a.ticket_no.localeCompare(b.ticket_no),
    );
}

/** What the clerk may do with the window's open ticket (the API checks again). */
export function ticketActions(status: TicketStatus | undefined): { recall: boolean; start: boolean; complete: boolean; noShow: boolean } {
  return {
    recall: status === "called",
    start: status === "called",
    complete: status === "called" || status === "serving",
    noShow: status === "called",
  };
}

/** A call as said once on the screen and to screen readers: one key per call, 重呼 included. */
export function callKey(call: Pick<DisplayCall, "ticket_no" | "window_number" | "called_at">): string {
  return `${call.ticket_no}@${call.window_number}@${call.called_at}`;
}

/**
 * The call to announce when the screen's answer changes: the newest call when it was not the
 * newest before (a new number, or one called again). Nothing on the first answer (the screen was
 * just switched on: it shows, it does not announce old calls).
 */
export function newCall(previousKey: string | null | undefined, calls: DisplayCall[]): DisplayCall | null {
  const newest = calls[0];
  if (!newest || previousKey === undefined) return null;
  return callKey(newest) === previousKey ? null : newest;
}

/** A share (0–1) as a percentage with one decimal: 0.125 → "12.5%"; null → "—". */
export function percent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return "—";
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** A local day (YYYY-MM-DD) `days` before the given one. */
export function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Today in the district (Asia/Shanghai), YYYY-MM-DD. */
export function districtToday(now: number = Date.now()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** Clock time (HH:mm:ss) in the district, for the hall's screen. */
export function districtClock(now: number): string {
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" }).format(now);
}

/** HH:mm of an API time in the district. */
export function districtTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = Date.parse(value);
  if (Number.isNaN(date)) return value;
  return new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(date);
}

/** The settings form's values (item codes and categories as lists) — the same shape as HallUpdate. */
export interface SettingsValues {
  wait_limit_minutes: number;
  max_waiting: number;
  active: boolean;
  categories: { code: string; name: string; item_codes: string[] }[];
  windows: { unit_code: string; number: string; name?: string | null; category_codes: string[] }[];
}

/** The form's values from a hall's configuration. */
export function settingsValues(hall: HallRead): SettingsValues {
  return {
    wait_limit_minutes: hall.wait_limit_minutes,
    max_waiting: hall.max_waiting,
    active: hall.active,
    categories: hall.categories.map((c) => ({ code: c.code, name: c.name, item_codes: [...c.item_codes] })),
    windows: hall.windows.map((w) => ({ unit_code: w.unit_code, number: w.number, name: w.name, category_codes: [...w.category_codes] })),
  };
}

/** The PUT body from the form: texts trimmed, an empty window name left to the API's default. */
export function settingsBody(values: SettingsValues): HallUpdate {
  return {
    wait_limit_minutes: values.wait_limit_minutes,
    max_waiting: values.max_waiting,
    active: values.active,
    categories: (values.categories ?? []).map((c) => ({
      code: (c.code ?? "").trim().toUpperCase(),
      name: (c.name ?? "").trim(),
      item_codes: (c.item_codes ?? []).map((s) => s.trim()).filter(Boolean),
    })),
    windows: (values.windows ?? []).map((w) => ({
      unit_code: (w.unit_code ?? "").trim(),
      number: (w.number ?? "").trim(),
      name: w.name && w.name.trim() ? w.name.trim() : null,
      category_codes: w.category_codes ?? [],
    })),
  };
}

/** Windows of the saved configuration the new one leaves out (they stop calling): their numbers. */
export function windowsDropped(before: HallRead, after: HallUpdate): string[] {
  const kept = new Set(after.windows?.map((w) => w.unit_code));
  return before.windows.filter((w) => !kept.has(w.unit_code)).map((w) => w.number);
}
