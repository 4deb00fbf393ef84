import { describe, expect, it } from "vitest";
import { byDeadline, isResidentId, lightOf, lookupKind, matches, windowActions, workingCalendar, workRow, type Summary, type WorkRow } from "./model";

// 2026-10-01…07 国庆节 (holidays), 2026-10-10 a Saturday made a working day (调休上班).
const calendar = workingCalendar([
  ...["01", "02", "05", "06", "07"].map((d) => ({ day: `2026-10-${d}`, is_working_day: false })),
  { day: "2026-10-10", is_working_day: true },
]);

const summary = (over: Partial<Summary>): Summary => ({
  id: "a1",
  application_no: "SQ202600000001",
  item_code: "X",
  item_name: "困难老年人养老服务补贴",
  status: "submitted",
  applicant_name: "王芳",
  received_at: "2026-09-28T02:00:00Z",
  due_on: null,
  ...over,
});

describe("working days", () => {
  it("counts Monday–Friday after the start up to the end, skipping holidays and counting make-up days", () => {
    expect(calendar.between("2026-09-28", "2026-09-30")).toBe(2); // Tue, Wed
    expect(calendar.between("2026-09-30", "2026-10-12")).toBe(4); // Thu 10-08, Fri 10-09, Sat 10-10 (调休), Mon 10-12
    expect(calendar.between("2026-10-12", "2026-09-30")).toBe(-4);
    expect(calendar.between("2026-12-03", "2026-12-03")).toBe(0);
  });
  it("lights red past the deadline, yellow with three working days or fewer, green before", () => {
    expect(lightOf(-1)).toBe("red");
    expect(lightOf(0)).toBe("yellow");
    expect(lightOf(3)).toBe("yellow");
    expect(lightOf(4)).toBe("green");
  });
});

describe("work list rows", () => {
  it("uses the notice window of a case waiting for the completeness check", () => {
    const row = workRow(summary({}), { notice_due_on: "2026-10-09", correction_deadline: null, due_on: null }, undefined, calendar, "2026-09-28");
    expect(row.deadline).toBe("2026-10-09");
    expect(row.remaining).toBe(4); // 09-29, 09-30, 10-08, 10-09
    expect(row.colour).toBe("green");
  });
  it("takes the supervision board's light for an accepted case", () => {
    const row = workRow(
      summary({ status: "accepted", due_on: "2026-10-20" }),
      undefined,
      { id: "a1", application_no: "x", item_name: "x", owner_unit_code: "u", status: "accepted", due_on: "2026-10-22", remaining_working_days: -1, colour: "red", paused: false, overdue_flagged: true, provisional_deadline: false },
      calendar,
      "2026-10-23",
    );
    expect([row.deadline, row.remaining, row.colour]).toEqual(["2026-10-22", -1, "red"]);
  });
  it("has no light for a result waiting to be delivered, and lists it after the cases with deadlines", () => {
    const done = workRow(summary({ id: "d", status: "completed" }), undefined, undefined, calendar, "2026-09-28");
    expect(done.colour).toBeNull();
    const due = workRow(summary({ id: "s" }), { notice_due_on: "2026-10-09", correction_deadline: null, due_on: null }, undefined, calendar, "2026-09-28");
    const overdue = { ...due, id: "o", deadline: "2026-09-01" } as WorkRow;
    expect([done, due, overdue].sort(byDeadline).map((r) => r.id)).toEqual(["o", "s", "d"]);
  });
  it("finds a case by part of its number or the applicant's name", () => {
    const row = workRow(summary({}), undefined, undefined, calendar, "2026-09-28");
    expect(matches(row, "sq2026")).toBe(true);
    expect(matches(row, "王芳")).toBe(true);
    expect(matches(row, "SQ2025")).toBe(false);
  });
});

describe("identifying a person", () => {
  it("checks a resident ID's birth date and check digit", () => {
    expect(isResidentId("11010519491231002X")).toBe(true);
    expect(isResidentId("110105194912310021")).toBe(false); // wrong check digit
    expect(isResidentId("11010519491331002X")).toBe(false); // month 13
  });
  it("tells a mobile from a resident ID", () => {
    expect(lookupKind("13810000003")).toBe("phone");
    expect(lookupKind("11010519491231002x")).toBe("resident_id");
    expect(lookupKind("12345")).toBeNull();
  });
});

describe("actions", () => {
  it("shows the actions intake offers in the window's order, and nothing else", () => {
    expect(windowActions(["withdraw", "issue_notice", "accept", "refuse_acceptance", "record_step"])).toEqual(["accept", "issue_notice", "refuse_acceptance", "withdraw"]);
  });
});

describe("materials taken in at the window", () => {
  it("records ticked materials as paper with the item's counts, and never an exempt or unneeded one", async () => {
    const { receivedMaterials } = await import("./model");
    const slots = [
      { key: "m0", name: "申请表", needed: true, exempt: false, originals: 1, copies: 0 },
      { key: "m1", name: "户口簿", needed: true, exempt: false, originals: 1, copies: 1 },
      { key: "m2", name: "居民身份证", needed: true, exempt: true, originals: 1, copies: 0 },
      { key: "m3", name: "残疾证", needed: false, exempt: false, originals: 0, copies: 1 },
    ];
    expect(receivedMaterials(slots, { m0: true, m1: true, m2: true, m3: true })).toEqual([
      { name: "申请表", provided_as: "paper", media: ["original"], originals: 1, copies: 0 },
      { name: "户口簿", provided_as: "paper", media: ["original", "copy"], originals: 1, copies: 1 },
    ]);
    expect(receivedMaterials(slots, { m1: false })).toEqual([]);
  });
});

describe("the window's service place", () => {
  it("is the clerk's unit's or the centre's above the window", async () => {
    const { placesFor } = await import("./places");
    const place = (id: string, org: string, active = true) => ({ id, org_unit_code: org, active }) as Parameters<typeof placesFor>[0][number];
    const all = [place("a", "110105-ZWFW"), place("b", "110105-ZWFW-W0"), place("c", "110105001-FWZX"), place("d", "110105-ZWFW", false)];
    expect(placesFor(all, "110105-ZWFW-W01").map((p) => p.id)).toEqual(["a"]);
  });
});
