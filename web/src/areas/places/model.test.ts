import { describe, expect, it } from "vitest";
import type { Problem } from "../../api/problem";
import {
  addDays,
  agreementState,
  daysInclusive,
  districtToday,
  filterAgreements,
  formToHours,
  hoursToForm,
  managesUnit,
  minutesOf,
  periodText,
  spreadProblem,
  weekdaysText,
  type Agreement,
  type HoursWords,
} from "./model";

const zh: HoursWords = { day: (n) => `周${"一二三四五六日"[n - 1]}`, range: (a, b) => `${a}至${b}`, sep: "、" };

describe("opening hours", () => {
  const hours = {
    working_days: [
      { start: "09:00:00", end: "12:00:00" },
      { start: "13:30:00", end: "17:00:00", weekdays: null },
    ],
    extended: [{ start: "17:00:00", end: "19:00:00", weekdays: [4, 2] }],
    weekend: [],
  };
  it("round-trips through the form: HH:MM, weekdays sorted, none ticked means every day", () => {
    const form = hoursToForm(hours);
    expect(form.working_days[0]).toEqual({ start: "09:00", end: "12:00", weekdays: [] });
    expect(form.extended[0]!.weekdays).toEqual([2, 4]);
    expect(formToHours(form)).toEqual({
      working_days: [
        { start: "09:00", end: "12:00" },
        { start: "13:30", end: "17:00" },
      ],
      extended: [{ start: "17:00", end: "19:00", weekdays: [2, 4] }],
      weekend: [],
    });
    expect(formToHours({ working_days: [{ start: "08:30", end: "09:00", weekdays: [6, 6, 1] }] }).working_days[0]!.weekdays).toEqual([1, 6]);
  });
  it("reads as a person writes it", () => {
    expect(weekdaysText([1, 2, 3, 4, 5], zh)).toBe("周一至周五");
    expect(weekdaysText([4, 2], zh)).toBe("周二、周四");
    expect(weekdaysText([1, 2, 4, 5, 6, 7], zh)).toBe("周一、周二、周四至周日");
    expect(periodText({ start: "17:00:00", end: "19:00:00", weekdays: [2, 4] }, zh)).toBe("周二、周四 17:00–19:00");
    expect(periodText({ start: "09:00", end: "12:00" }, zh)).toBe("09:00–12:00");
  });
  it("reads times", () => {
    expect(minutesOf("13:30")).toBe(810);
    expect(minutesOf("25:00")).toBeNull();
    expect(minutesOf(undefined)).toBeNull();
  });
});

describe("who manages a place", () => {
  const staff = (roles: string[], unit?: string) => ({ sub: "s", kind: "staff", roles, exp: 0, org_unit_code: unit });
  it("administrators every place, clerks and supervisors their unit's and sub-units'", () => {
    expect(managesUnit(staff(["admin"]), "110105-ZWFW")).toBe(true);
    expect(managesUnit(staff(["window_clerk"], "110105-ZWFW-W01"), "110105-ZWFW")).toBe(true);
    expect(managesUnit(staff(["supervisor"], "110105-ZWFW"), "110105-ZWFW")).toBe(true);
    expect(managesUnit(staff(["window_clerk"], "110105-ZWFWX"), "110105-ZWFW")).toBe(false);
    expect(managesUnit(staff(["approver"], "110105-ZWFW"), "110105-ZWFW")).toBe(false);
    expect(managesUnit({ ...staff(["admin"]), kind: "person" }, "110105-ZWFW")).toBe(false);
    expect(managesUnit(null, "x")).toBe(false);
  });
});

describe("days", () => {
  it("counts a range with both ends and moves a day", () => {
    expect(daysInclusive("2026-12-01", "2026-12-14")).toBe(14);
    expect(daysInclusive("2026-12-01", "2026-12-01")).toBe(1);
    expect(daysInclusive("2026-12-02", "2026-12-01")).toBeNull();
    expect(daysInclusive("2026-12-01", undefined)).toBeNull();
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
  });
  it("takes today in Beijing time", () => {
    expect(districtToday(new Date("2026-12-31T16:30:00Z"))).toBe("2027-01-01");
  });
});

describe("entrustment agreements", () => {
  const a = (over: Partial<Agreement>): Agreement => ({
    id: "a",
    entrusting_unit_code: "110105-MZJ",
    entrusted_unit_code: "110105001-FWZX",
    item_codes: ["*"],
    valid_from: "2026-01-01",
    valid_until: "2027-12-31",
    reference: null,
    created_by: "demo",
    created_at: "2026-01-01T00:00:00Z",
    revoked_at: null,
    ...over,
  });
  it("knows where an agreement stands", () => {
    expect(agreementState(a({}), "2026-06-01")).toBe("active");
    expect(agreementState(a({}), "2025-12-31")).toBe("pending");
    expect(agreementState(a({}), "2028-01-01")).toBe("expired");
    expect(agreementState(a({ revoked_at: "2026-05-01T00:00:00Z" }), "2026-06-01")).toBe("revoked");
  });
  it("filters by a party and by state", () => {
    const list = [a({ id: "1" }), a({ id: "2", entrusting_unit_code: "110105-RSJ", revoked_at: "x" })];
    expect(filterAgreements(list, { unit: "110105001-FWZX" }, "2026-06-01").map((x) => x.id)).toEqual(["1", "2"]);
    expect(filterAgreements(list, { unit: "110105-RSJ" }, "2026-06-01").map((x) => x.id)).toEqual(["2"]);
    expect(filterAgreements(list, { state: "active" }, "2026-06-01").map((x) => x.id)).toEqual(["1"]);
  });
});

describe("problems on the place form", () => {
  const problem = (over: Partial<Problem>): Problem => ({ type: "t", title: "t", status: 422, detail: "有问题", code: "validation_failed", ...over });
  it("puts each error under its field or hours row", () => {
    const spread = spreadProblem(
      problem({
        errors: [
          { field: "body.code", message: "编码格式不对", type: "string_pattern_mismatch" },
          { field: "body.hours.working_days.0", message: "结束时间应晚于开始时间", type: "value_error" },
          { field: "body.hours.extended.1.start", message: "不是时间", type: "time_parsing" },
          { field: "body.hours.working_days", message: "至少一个", type: "too_short" },
          { field: "body.hours", message: "有重叠", type: "value_error" },
          { field: "body.unknown", message: "其他", type: "x" },
        ],
      }),
      ["code", "hours"],
    );
    expect(spread.fields).toEqual([
      { name: ["code"], errors: ["编码格式不对"] },
      { name: ["hours", "working_days", 0, "end"], errors: ["结束时间应晚于开始时间"] },
      { name: ["hours", "extended", 1, "start"], errors: ["不是时间"] },
      { name: ["hours", "working_days"], errors: ["至少一个"] },
    ]);
    expect(spread.hours).toEqual(["有重叠"]);
    expect(spread.general).toEqual(["其他"]);
  });
  it("reads a domain problem naming one field, renames fields, and keeps the detail of others", () => {
    expect(spreadProblem(problem({ status: 409, detail: "编码已被使用", field: "code" }), ["code"]).fields).toEqual([
      { name: ["code"], errors: ["编码已被使用"] },
    ]);
    expect(spreadProblem(problem({ errors: [{ field: "body.days", message: "最多 90", type: "x" }] }), ["last_day"], { days: "last_day" }).fields).toEqual([
      { name: ["last_day"], errors: ["最多 90"] },
    ]);
    expect(spreadProblem(problem({ status: 403, detail: "无权" }), ["code"]).general).toEqual(["无权"]);
  });
});
