import type { components } from "../../api/schema";

export type Application = components["schemas"]["intake__ApplicationRead"];
export type BoardCase = components["schemas"]["intake__SupervisionCaseRead"];
export type Action = Application["allowed_actions"][number];
export type Notice = NonNullable<Application["notices"]>[number];

/** The inbox's tabs: what the approver decides, what waits to be completed (办结) or delivered (送达), everything open. */
export type InboxTab = "deciding" | "completing" | "delivering" | "all";

/** The tabs listing cases whose clock has stopped (no light): read from the applications by status. */
export const DECIDED_TABS = {
  completing: ["approved", "refused"],
  delivering: ["completed"],
} as const satisfies Record<string, readonly Application["status"][]>;

/** True for a tab of decided cases (listed by status, not from the supervision board). */
export function isDecidedTab(tab: InboxTab): tab is keyof typeof DECIDED_TABS {
  return tab in DECIDED_TABS;
}

const DECIDING: BoardCase["status"][] = ["under_review", "suspended"];
const COMPLETING: BoardCase["status"][] = ["approved", "refused"];

/** The cases of a tab, most urgent first: red before yellow before green, then by due date. */
export function inboxCases(cases: BoardCase[], tab: InboxTab): BoardCase[] {
  const shown = cases.filter((c) =>
    tab === "deciding" ? DECIDING.includes(c.status) : tab === "completing" ? COMPLETING.includes(c.status) : tab === "all",
  );
  return [...shown].sort(byUrgency);
}

const RANK = { red: 0, yellow: 1, green: 2 } as const;

/** Red, then yellow, then green; within a colour the earliest due date first (no date last). */
export function byUrgency(a: BoardCase, b: BoardCase): number {
  const colour = RANK[a.colour] - RANK[b.colour];
  if (colour !== 0) return colour;
  if (a.due_on === b.due_on) return a.application_no.localeCompare(b.application_no);
  if (!a.due_on) return 1;
  if (!b.due_on) return -1;
  return a.due_on.localeCompare(b.due_on);
}

/** How many cases of each colour (for the counts above the list). */
export function colourCounts(cases: BoardCase[]): Record<BoardCase["colour"], number> {
  const counts = { red: 0, yellow: 0, green: 0 };
  for (const c of cases) counts[c.colour] += 1;
  return counts;
}

/** The decision documents (准予/不予决定书) first, then the other notices, newest first within each. */
export function decisionNotices(notices: Notice[] | undefined): { decisions: Notice[]; others: Notice[] } {
  const all = [...(notices ?? [])].sort((a, b) => b.issued_at.localeCompare(a.issued_at));
  const decision = (n: Notice) => n.kind === "approval" || n.kind === "refusal";
  return { decisions: all.filter(decision), others: all.filter((n) => !decision(n)) };
}

/** The special procedure still running (the clock paused), if any. */
export function runningPause(app: Application): NonNullable<Application["pauses"]>[number] | undefined {
  return (app.pauses ?? []).find((p) => p.ended_on === null);
}

/** Extension days still allowed under the district's total (10 working days by default). */
export function extensionLeft(app: Application, maxTotal = 10): number {
  return Math.max(0, maxTotal - app.extension_days);
}

export type Deliver = components["schemas"]["intake__ApplicationDeliver"];
export type DeliveryMode = Deliver["mode"];

/** What each way of delivering the result (送达) needs filled in, in the order the form asks it. */
export const DELIVERY_FIELDS = {
  window: ["signed_by"],
  post: ["carrier", "tracking_no", "address"],
  locker: ["locker"],
} as const satisfies Record<DeliveryMode, readonly (keyof Deliver)[]>;

/** The body of a delivery: the chosen mode with only its own fields, trimmed (blank ones left out,
 * so the API names what is missing). */
export function deliveryBody(mode: DeliveryMode, values: Partial<Record<keyof Deliver, unknown>>): Deliver {
  const body: Deliver = { mode };
  for (const field of DELIVERY_FIELDS[mode]) {
    const value = values[field];
    if (typeof value === "string" && value.trim()) body[field] = value.trim();
  }
  return body;
}
