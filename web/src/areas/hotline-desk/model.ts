import type { components } from "../../api/schema";

export type Ticket = components["schemas"]["hotline__TicketRead"];
export type TicketCreate = components["schemas"]["hotline__TicketCreate"];
export type TicketStatus = Ticket["status"];
export type RequestType = Ticket["request_type"];
export type HistoryEntry = components["schemas"]["hotline__HistoryEntryRead"];
export type KbHit = components["schemas"]["hotline__KbHitRead"];
export type Category = components["schemas"]["hotline__CategoryRead"];
export type DiversionReason = components["schemas"]["hotline__TicketDivert"]["reason"];
export type LightColour = "green" | "yellow" | "red";

/** What an agent registers on a call, the most common first. */
export const REQUEST_TYPES = ["help", "complaint", "enquiry", "suggestion", "report", "praise"] as const satisfies readonly RequestType[];
export const DIVERSION_REASONS = ["emergency", "legal_channel", "repeat", "outside_duties"] as const satisfies readonly DiversionReason[];
export const SATISFACTION = ["satisfied", "basically", "not"] as const;
export const LIMIT_UNITS = ["hours", "working_days", "natural_days"] as const;

/** Statuses in which a ticket is still being worked on (not closed, not merged). */
export const OPEN_STATUSES: readonly TicketStatus[] = ["registered", "dispatched", "returned", "in_progress", "replied", "called_back"];

/** Statuses in which the handling time limit runs (the light means something): before the reply. */
export function timed(status: TicketStatus): boolean {
  return status === "registered" || status === "dispatched" || status === "returned" || status === "in_progress";
}

/** Call-backs: the longest-waiting reply first. */
export function byReplied<T extends Pick<Ticket, "replied_at" | "created_at">>(tickets: T[]): T[] {
  const key = (t: T) => Date.parse(t.replied_at ?? t.created_at);
  return [...tickets].sort((a, b) => key(a) - key(b));
}

/** A ticket turns yellow when a quarter or less of its time limit is left, red once it is past. */
export const YELLOW_SHARE = 0.25;

/**
 * The time-limit light (红黄绿灯) of a ticket at `now`: red when overdue (the service's flag or past
 * `due_at`), yellow when a quarter of the time from registration to the limit or less remains,
 * green otherwise. A ticket without a limit (none applied yet) is green.
 */
export function ticketLight(ticket: Pick<Ticket, "due_at" | "created_at" | "overdue">, now: number): LightColour {
  if (ticket.overdue) return "red";
  if (!ticket.due_at) return "green";
  const due = Date.parse(ticket.due_at);
  if (now > due) return "red";
  const start = Date.parse(ticket.created_at);
  const total = due - start;
  if (total <= 0) return "yellow";
  return (due - now) / total <= YELLOW_SHARE ? "yellow" : "green";
}

/** Time left until `due` (negative when past) as whole days, hours and minutes. */
export function timeLeft(due: string | null | undefined, now: number): { past: boolean; days: number; hours: number; minutes: number } | null {
  if (!due) return null;
  const ms = Date.parse(due) - now;
  const past = ms < 0;
  const minutesTotal = Math.floor(Math.abs(ms) / 60_000);
  return { past, days: Math.floor(minutesTotal / 1440), hours: Math.floor((minutesTotal % 1440) / 60), minutes: minutesTotal % 60 };
}

/** Work lists: the nearest time limit first, tickets without one last, then the oldest first. */
export function byDeadline<T extends Pick<Ticket, "due_at" | "created_at">>(tickets: T[]): T[] {
  const key = (t: T) => (t.due_at ? Date.parse(t.due_at) : Number.POSITIVE_INFINITY);
  return [...tickets].sort((a, b) => key(a) - key(b) || Date.parse(a.created_at) - Date.parse(b.created_at));
}

/** The latest dispatch of the ticket (the one in force), if any. */
export function lastDispatch(ticket: Pick<Ticket, "dispatches">): Ticket["dispatches"][number] | undefined {
  const sorted = [...ticket.dispatches].sort((a, b) => Date.parse(a.dispatched_at) - Date.parse(b.dispatched_at));
  return sorted[sorted.length - 1];
}

/** The latest lead dispatch to `unit` that was not disputed yet. */
export function openLeadDispatch(ticket: Pick<Ticket, "dispatches">, unit: string | undefined): Ticket["dispatches"][number] | undefined {
  const sorted = ticket.dispatches
    .filter((d) => d.role === "lead" && d.unit_code === unit && !d.returned_at)
    .sort((a, b) => Date.parse(a.dispatched_at) - Date.parse(b.dispatched_at));
  return sorted[sorted.length - 1];
}

export type DeskAction =
  | "answer"
  | "divert"
  | "merge"
  | "dispatch"
  | "return"
  | "respond"
  | "extend"
  | "reply"
  | "call_back"
  | "reopen"
  | "close";

/** Who may take each action (hotline-svc's rules); `lead` means the handler of the lead unit. */
const WHO: Record<DeskAction, readonly string[]> = {
  answer: ["hotline_agent"],
  divert: ["hotline_agent", "dispatcher"],
  merge: ["hotline_agent", "dispatcher"],
  dispatch: ["dispatcher"],
  return: ["lead"],
  respond: ["lead"],
  extend: ["lead", "dispatcher"],
  reply: ["lead"],
  call_back: ["hotline_agent", "supervisor"],
  reopen: ["hotline_agent", "supervisor", "dispatcher"],
  close: ["hotline_agent", "supervisor"],
};

/** The order the action buttons are shown in: the next step of the work first. */
const ORDER: DeskAction[] = ["dispatch", "respond", "reply", "call_back", "close", "answer", "extend", "return", "reopen", "merge", "divert"];

/** What the caller said at a call-back (回访). */
export interface CallBackAnswer {
  resolved: boolean;
  satisfaction: string;
}

/** The caller's answer at the latest call-back in the ticket's history (oldest first), if any. */
export function lastCallBack(history: readonly HistoryEntry[] | undefined): CallBackAnswer | undefined {
  const entry = [...(history ?? [])].reverse().find((h) => h.action === "call_back");
  const d = entry?.data as Record<string, unknown> | undefined;
  if (!d || typeof d.resolved !== "boolean" || typeof d.satisfaction !== "string") return undefined;
  return { resolved: d.resolved, satisfaction: d.satisfaction };
}

/**
 * The actions a viewer with these roles (and unit) may take on the ticket now: what the lifecycle
 * allows (`allowed_actions`) and the service lets the role do. Reopening (重办) is offered only
 * after a call-back that found the request unresolved or the caller not satisfied (hotline-svc
 * refuses the others). Convenience only: the API decides.
 */
export function deskActions(
  ticket: Pick<Ticket, "allowed_actions" | "request_type" | "lead_unit_code" | "due_at" | "dispatches">,
  roles: readonly string[],
  unit: string | undefined,
  now: number,
  callBack?: CallBackAnswer,
): DeskAction[] {
  const admin = roles.includes("admin");
  const lead = roles.includes("handler") && Boolean(unit) && ticket.lead_unit_code === unit;
  const may = (action: DeskAction) => admin || WHO[action].some((r) => (r === "lead" ? lead : roles.includes(r)));
  return ORDER.filter((action) => {
    if (!ticket.allowed_actions.includes(action) || !may(action)) return false;
    if (action === "answer") return ticket.request_type === "enquiry";
    if (action === "extend") return Boolean(ticket.due_at);
    if (action === "reopen") return !callBack || !callBack.resolved || callBack.satisfaction === "not";
    if (action === "return") {
      const d = openLeadDispatch(ticket, admin ? ticket.lead_unit_code ?? undefined : unit);
      return !d || Date.parse(d.dispute_deadline) >= now;
    }
    return true;
  });
}

/** Actions that cannot be undone: asked for confirmation before they are sent. */
export const FINAL_ACTIONS: readonly DeskAction[] = ["answer", "divert", "merge", "close"];

/** Whether a ticket in `status` can be the main ticket of a merge (hotline-svc refuses closed and merged ones). */
export function mayMergeInto(status: TicketStatus): boolean {
  return status !== "closed" && status !== "merged";
}

/** A title from the caller's words when the agent gives none: the first sentence, at most 40 characters. */
export function titleFrom(description: string): string {
  const text = description.trim().replace(/\s+/g, " ");
  const sentence = text.split(/[。！？!?；;\n]/)[0]?.trim() ?? "";
  const first = sentence.length >= 4 ? sentence : text;
  return first.length > 40 ? `${first.slice(0, 39)}…` : first;
}

/** The knowledge-base query for what has been typed: title and content, cut to the API's 200 characters. */
export function kbQuery(title: string | undefined, description: string | undefined): string {
  const q = [title, description].map((s) => (s ?? "").trim()).filter(Boolean).join(" ");
  return q.length > 200 ? q.slice(0, 200) : q;
}

export interface DraftForDuplicates {
  caller_phone?: string;
  category_code?: string;
  street_code?: string;
  community_code?: string;
  address?: string;
  description?: string;
}

/** Characters bigrams of the Chinese (and word) content: a rough measure of shared wording. */
function bigrams(text: string): Set<string> {
  const clean = text.replace(/[\s\p{P}]+/gu, "");
  const out = new Set<string>();
  for (let i = 0; i < clean.length - 1; i++) out.add(clean.slice(i, i + 2));
  return out;
}

/**
 * Open tickets that may be the same request as the one being registered (相同诉求), best first:
 * the same caller's phone, or the same category at the same place, or much the same wording at the
 * same place. hotline-svc has no duplicate search, so this looks through the latest open tickets.
 */
export function duplicateCandidates(tickets: Ticket[], draft: DraftForDuplicates, max = 5): { ticket: Ticket; reasons: ("phone" | "place" | "words")[] }[] {
  const phone = draft.caller_phone?.replace(/\D/g, "");
  const words = bigrams(draft.description ?? "");
  const out: { ticket: Ticket; reasons: ("phone" | "place" | "words")[]; score: number }[] = [];
  for (const t of tickets) {
    if (!["registered", "dispatched", "returned", "in_progress"].includes(t.status)) continue;
    const reasons: ("phone" | "place" | "words")[] = [];
    let score = 0;
    const tPhone = t.caller_phone?.replace(/\D/g, "");
    if (phone && phone.length >= 7 && tPhone && tPhone === phone) {
      reasons.push("phone");
      score += 3;
    }
    const samePlace = draft.community_code
      ? t.community_code === draft.community_code
      : Boolean(draft.street_code) && t.street_code === draft.street_code;
    const sameCategory = Boolean(draft.category_code) && t.category_code === draft.category_code;
    if (samePlace && sameCategory) {
      reasons.push("place");
      score += 2;
    }
    if (words.size >= 4) {
      const theirs = bigrams(`${t.title} ${t.description}`);
      let shared = 0;
      for (const w of words) if (theirs.has(w)) shared++;
      const share = shared / words.size;
      if (share >= 0.4 && (samePlace || sameCategory || share >= 0.7)) {
        reasons.push("words");
        score += share * 2;
      }
    }
    if (reasons.length > 0) out.push({ ticket: t, reasons, score });
  }
  return out
    .sort((a, b) => b.score - a.score || Date.parse(b.ticket.created_at) - Date.parse(a.ticket.created_at))
    .slice(0, max)
    .map(({ ticket, reasons }) => ({ ticket, reasons }));
}

/** Tag colour of a status in the staff lists. */
export function statusColour(status: TicketStatus): string {
  switch (status) {
    case "registered":
    case "returned":
      return "orange";
    case "dispatched":
    case "in_progress":
      return "blue";
    case "replied":
    case "called_back":
      return "cyan";
    case "closed":
      return "green";
    default:
      return "default";
  }
}

/** The call form's values. */
export interface CallValues {
  caller_name?: string;
  caller_phone?: string;
  anonymous?: boolean;
  request_type?: RequestType;
  category_code?: string;
  attributes?: Record<string, unknown>;
  street_code?: string;
  community_code?: string;
  address?: string;
  title?: string;
  description?: string;
  urgent?: boolean;
  complex?: boolean;
  auto_dispatch?: boolean;
}

const blank = (v: string | undefined) => (v === undefined || v.trim() === "" ? undefined : v.trim());

/**
 * The body of `POST /api/hotline/v1/tickets` for a call (channel phone). `settle`: the agent settles
 * it on the call (answer, divert, merge), so it is not dispatched by the catalogue meanwhile.
 */
export function callBody(values: CallValues, category: Category | undefined, settle = false): TicketCreate {
  const description = values.description?.trim() ?? "";
  const attributes: Record<string, unknown> = {};
  for (const attr of category?.attributes ?? []) {
    const v = values.attributes?.[attr.code];
    if (v === undefined || v === null || v === "" || (Array.isArray(v) && v.length === 0)) continue;
    attributes[attr.code] = v;
  }
  const body: TicketCreate = {
    request_type: values.request_type ?? "help",
    channel: "phone",
    title: blank(values.title) ?? titleFrom(description),
    description,
    urgent: Boolean(values.urgent),
    complex: Boolean(values.complex),
    anonymous: Boolean(values.anonymous),
    attributes,
    attachments: [],
    auto_dispatch: settle ? false : values.auto_dispatch !== false,
  };
  if (values.category_code) body.category_code = values.category_code;
  const address = blank(values.address);
  if (address) body.address = address;
  if (values.community_code) body.community_code = values.community_code;
  else if (values.street_code) body.street_code = values.street_code;
  // An anonymous caller wants no call-back: no name or phone is kept.
  if (!values.anonymous) {
    const name = blank(values.caller_name);
    const phone = blank(values.caller_phone);
    if (name) body.caller_name = name;
    if (phone) body.caller_phone = phone;
  }
  return body;
}
