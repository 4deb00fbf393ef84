import { describe, expect, it } from "vitest";
import { byDeadline, callBody, deskActions, duplicateCandidates, kbQuery, lastCallBack, mayMergeInto, ticketLight, timeLeft, titleFrom, type HistoryEntry, type Ticket } from "./model";

const H = 3_600_000;
const T0 = Date.parse("2026-12-03T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function ticket(over: Partial<Ticket> = {}): Ticket {
  return {
    id: "t1",
    number: "20261203-00000001",
    request_type: "help",
    channel: "phone",
    category_code: "property",
    title: "暖气不热",
    description: "小区暖气不热，物业一直不来修",
    urgent: false,
    complex: false,
    caller_name: "王芳",
    caller_phone: "13810000003",
    anonymous: false,
    address: null,
    lat: null,
    lon: null,
    street_code: "110105001",
    community_code: null,
    attributes: {},
    status: "registered",
    allowed_actions: ["dispatch", "divert", "answer", "merge"],
    close_reason: null,
    close_note: null,
    diversion_reason: null,
    merged_into_id: null,
    merged_into_number: null,
    kb_entry_id: null,
    lead_unit_code: null,
    co_unit_codes: [],
    first_unit_code: null,
    coordination: false,
    time_limit_rule: "general",
    due_at: iso(T0 + 100 * H),
    response_due_at: null,
    overdue: false,
    responded_at: null,
    replied_at: null,
    reply: null,
    reopen_count: 0,
    created_at: iso(T0),
    closed_at: null,
    contacts: [],
    attachments: [],
    dispatches: [],
    ...over,
  } as Ticket;
}

describe("the time-limit light", () => {
  it("is green with time to spare, yellow in the last quarter, red when past or flagged overdue", () => {
    const t = ticket();
    expect(ticketLight(t, T0 + 10 * H)).toBe("green");
    expect(ticketLight(t, T0 + 75 * H)).toBe("yellow");
    expect(ticketLight(t, T0 + 101 * H)).toBe("red");
    expect(ticketLight(ticket({ overdue: true }), T0)).toBe("red");
    expect(ticketLight(ticket({ due_at: null }), T0 + 1000 * H)).toBe("green");
  });
  it("says how long is left or how long it is over", () => {
    expect(timeLeft(iso(T0 + 26 * H + 5 * 60_000), T0)).toEqual({ past: false, days: 1, hours: 2, minutes: 5 });
    expect(timeLeft(iso(T0 - 90 * 60_000), T0)).toEqual({ past: true, days: 0, hours: 1, minutes: 30 });
    expect(timeLeft(null, T0)).toBeNull();
  });
  it("orders a work list by the nearest limit, those without one last", () => {
    const a = ticket({ id: "a", due_at: iso(T0 + 5 * H) });
    const b = ticket({ id: "b", due_at: null });
    const c = ticket({ id: "c", due_at: iso(T0 + 1 * H) });
    expect(byDeadline([a, b, c]).map((x) => x.id)).toEqual(["c", "a", "b"]);
  });
});

describe("the actions a role may take", () => {
  it("gives the dispatcher dispatch, the agent the knowledge-base answer only for an enquiry", () => {
    expect(deskActions(ticket(), ["dispatcher"], "110105-ZWGLJ", T0)).toEqual(["dispatch", "merge", "divert"]);
    expect(deskActions(ticket(), ["hotline_agent"], "110105-ZWGLJ", T0)).toEqual(["merge", "divert"]);
    expect(deskActions(ticket({ request_type: "enquiry" }), ["hotline_agent"], undefined, T0)).toEqual(["answer", "merge", "divert"]);
  });
  it("lets only the lead unit's handler respond, and return only within the dispute window", () => {
    const dispatched = ticket({
      status: "dispatched",
      allowed_actions: ["dispatch", "merge", "return", "respond", "extend"],
      lead_unit_code: "110105001-FWZX",
      dispatches: [
        { unit_code: "110105001-FWZX", role: "lead", mode: "manual", dispatched_at: iso(T0), dispute_deadline: iso(T0 + 24 * H), returned_at: null, return_reason: null },
      ],
    });
    expect(deskActions(dispatched, ["handler"], "110105001-FWZX", T0 + H)).toEqual(["respond", "extend", "return"]);
    expect(deskActions(dispatched, ["handler"], "110105001-FWZX", T0 + 25 * H)).toEqual(["respond", "extend"]);
    expect(deskActions(dispatched, ["handler"], "110105002-FWZX", T0 + H)).toEqual([]);
    expect(deskActions(dispatched, ["dispatcher"], undefined, T0)).toEqual(["dispatch", "extend", "merge"]);
  });
  it("gives the call-back and closing to agents, reopening to dispatchers too", () => {
    expect(deskActions(ticket({ status: "replied", allowed_actions: ["call_back"] }), ["hotline_agent"], undefined, T0)).toEqual(["call_back"]);
    expect(deskActions(ticket({ status: "replied", allowed_actions: ["call_back"] }), ["handler"], "x", T0)).toEqual([]);
    const called = ticket({ status: "called_back", allowed_actions: ["reopen", "close"] });
    expect(deskActions(called, ["hotline_agent"], undefined, T0)).toEqual(["close", "reopen"]);
    expect(deskActions(called, ["dispatcher"], undefined, T0)).toEqual(["reopen"]);
  });
  it("offers reopening only after a call-back that found it unresolved or the caller not satisfied", () => {
    const called = ticket({ status: "called_back", allowed_actions: ["reopen", "close"] });
    const entry = (action: HistoryEntry["action"], data: Record<string, unknown>): HistoryEntry => ({ action, at: iso(T0), actor: "a", actor_unit: null, from_status: null, to_status: "called_back", note: null, data });
    const history = [entry("call_back", { resolved: false, satisfaction: "not" }), entry("reopen", {}), entry("call_back", { resolved: true, satisfaction: "basically" })];
    expect(lastCallBack(history)).toEqual({ resolved: true, satisfaction: "basically" });
    expect(lastCallBack([entry("create", {})])).toBeUndefined();
    expect(deskActions(called, ["hotline_agent"], undefined, T0, lastCallBack(history))).toEqual(["close"]);
    expect(deskActions(called, ["hotline_agent"], undefined, T0, { resolved: true, satisfaction: "not" })).toEqual(["close", "reopen"]);
    expect(deskActions(called, ["hotline_agent"], undefined, T0, { resolved: false, satisfaction: "satisfied" })).toEqual(["close", "reopen"]);
  });
});

describe("registering a call", () => {
  it("takes the title from the first sentence and keeps no contact for an anonymous caller", () => {
    expect(titleFrom("小区暖气不热。物业一直不来修")).toBe("小区暖气不热");
    expect(titleFrom("好")).toBe("好");
    expect(titleFrom("一".repeat(60))).toHaveLength(40);
    const body = callBody({ description: "小区暖气不热。", anonymous: true, caller_name: "王芳", caller_phone: "13810000003", street_code: "110105001", community_code: "110105001001" }, undefined);
    expect(body).toMatchObject({ channel: "phone", title: "小区暖气不热", request_type: "help", community_code: "110105001001", auto_dispatch: true });
    expect(body.caller_name).toBeUndefined();
    expect(body.street_code).toBeUndefined();
  });
  it("does not auto-dispatch a call settled on the spot", () => {
    expect(callBody({ description: "x", auto_dispatch: true }, undefined, true).auto_dispatch).toBe(false);
    expect(callBody({ description: "x", auto_dispatch: false }, undefined).auto_dispatch).toBe(false);
  });
  it("searches the knowledge base with at most 200 characters", () => {
    expect(kbQuery(" 暖气 ", "不热")).toBe("暖气 不热");
    expect(kbQuery(undefined, "字".repeat(300))).toHaveLength(200);
  });
  it("finds open tickets with the same phone or the same category at the same place", () => {
    const open = ticket({ id: "same-place" });
    const phone = ticket({ id: "same-phone", category_code: "noise", street_code: "110105002", caller_phone: "138-1000-0009", description: "别的事" });
    const closed = ticket({ id: "closed", status: "closed" });
    const other = ticket({ id: "other", category_code: "water", street_code: "110105003", caller_phone: null, description: "停水" });
    const found = duplicateCandidates([open, phone, closed, other], { caller_phone: "13810000009", category_code: "property", street_code: "110105001", description: "楼里暖气不热，物业不来修" });
    // Same place, category and wording outweighs the same phone alone.
    expect(found.map((f) => f.ticket.id)).toEqual(["same-place", "same-phone"]);
    expect(found[0]!.reasons).toEqual(["place", "words"]);
    expect(found[1]!.reasons).toEqual(["phone"]);
  });
});

describe("the main ticket of a merge", () => {
  it("is any ticket not closed and not itself merged", () => {
    expect(mayMergeInto("dispatched")).toBe(true);
    expect(mayMergeInto("replied")).toBe(true);
    expect(mayMergeInto("closed")).toBe(false);
    expect(mayMergeInto("merged")).toBe(false);
  });
});
