import { describe, expect, it } from "vitest";
import { ApiError } from "../../api/errors";
import type { Problem } from "../../api/problem";
import {
  allPages,
  approxHours,
  categoriesByRule,
  dispatchBody,
  escalationBody,
  escalationValues,
  filterDispatch,
  formatIndicator,
  mayEdit,
  percentToShare,
  problemFields,
  rankingBody,
  recentMonths,
  RULE_NAME,
  shareToPercent,
  type Category,
  type DispatchRule,
  type EscalationRule,
} from "./shared";

const problem = (p: Partial<Problem>): ApiError =>
  new ApiError(p.status ?? 422, { type: "t", title: "t", status: 422, code: "c", detail: "整体说明", ...p }, null);

describe("problems on the form", () => {
  it("puts validation errors under their fields, nested ones under the top field, the rest above", () => {
    const error = problem({
      errors: [
        { field: "body.amount", message: "不能大于 365", type: "less_than_equal" },
        { field: "body.co_unit_codes.0", message: "过长", type: "string_too_long" },
        { field: "path.name", message: "格式不对", type: "string_pattern_mismatch" },
        { field: "body.after_share", message: "不能大于 10", type: "less_than_equal" },
        { field: "body", message: "整体不对", type: "x" },
        { field: "body.other", message: "其他", type: "x" },
      ],
    });
    const got = problemFields(error, ["amount", "co_unit_codes", "name", "after_percent"], "失败", { after_share: "after_percent" });
    expect(got.fields).toEqual([
      { name: "amount", errors: ["不能大于 365"] },
      { name: "co_unit_codes", errors: ["过长"] },
      { name: "name", errors: ["格式不对"] },
      { name: "after_percent", errors: ["不能大于 10"] },
    ]);
    expect(got.general).toEqual(["整体不对", "其他"]);
  });

  it("shows a domain problem naming a field under it, else above the form", () => {
    const lead = problem({ detail: "单位不存在", field: "co_unit_codes[1]" });
    expect(problemFields(lead, ["co_unit_codes"], "失败")).toEqual({ fields: [{ name: "co_unit_codes", errors: ["单位不存在"] }], general: [] });
    const area = problem({ detail: "不是街道", field: "street_code" });
    expect(problemFields(area, ["area_code"], "失败", { street_code: "area_code" }).fields).toEqual([{ name: "area_code", errors: ["不是街道"] }]);
    const clash = problem({ status: 409, detail: "已有规则" });
    expect(problemFields(clash, ["area_code"], "失败")).toEqual({ fields: [], general: ["已有规则"] });
  });

  it("falls back when the platform sent no problem", () => {
    expect(problemFields(new ApiError(0, null, null), ["a"], "失败")).toEqual({ fields: [], general: ["失败"] });
    expect(problemFields(new Error("x"), ["a"], "失败").general).toEqual(["失败"]);
  });
});

describe("who may change rules", () => {
  const staff = (roles: string[]) => ({ kind: "staff", roles });
  it("follows the services' checks", () => {
    expect(mayEdit("dispatch", staff(["dispatcher"]))).toBe(true);
    expect(mayEdit("dispatch", staff(["hotline_agent"]))).toBe(false);
    expect(mayEdit("timeLimits", staff(["dispatcher"]))).toBe(false);
    expect(mayEdit("escalations", staff(["supervisor"]))).toBe(true);
    expect(mayEdit("ranking", staff(["supervisor"]))).toBe(false);
    expect(mayEdit("ranking", staff(["evaluator"]))).toBe(true);
    for (const kind of ["dispatch", "timeLimits", "escalations", "ranking"] as const) expect(mayEdit(kind, staff(["admin"]))).toBe(true);
    expect(mayEdit("ranking", { kind: "person", roles: ["admin"] })).toBe(false);
    expect(mayEdit("ranking", null)).toBe(false);
  });
});

it("reads every page of a collection", async () => {
  const all = Array.from({ length: 450 }, (_, i) => i);
  const asked: number[] = [];
  const got = await allPages(async (offset) => {
    asked.push(offset);
    return { items: all.slice(offset, offset + 200), total: all.length };
  });
  expect(got).toEqual(all);
  expect(asked).toEqual([0, 200, 400]);
});

describe("dispatch rules", () => {
  const rule = (id: string, category: string, area: string, lead: string, co: string[] = []): DispatchRule => ({
    id,
    category_code: category,
    area_code: area,
    lead_unit_code: lead,
    co_unit_codes: co,
    updated_at: "",
  });
  const rules = [rule("1", "noise", "110105001", "110105001-FWZX", ["110105-ZJW"]), rule("2", "water", "*", "110105-ZJW"), rule("3", "noise", "*", "110105-CGW")];
  it("filters by category, area and a unit that leads or co-handles", () => {
    expect(filterDispatch(rules, {}).map((r) => r.id)).toEqual(["1", "2", "3"]);
    expect(filterDispatch(rules, { category: "noise" }).map((r) => r.id)).toEqual(["1", "3"]);
    expect(filterDispatch(rules, { unit: "110105-ZJW" }).map((r) => r.id)).toEqual(["1", "2"]);
    expect(filterDispatch(rules, { category: "noise", area: "*" }).map((r) => r.id)).toEqual(["3"]);
  });
  it("sends co-handlers once each and never the lead unit among them", () => {
    expect(dispatchBody({ category_code: " noise ", area_code: "*", lead_unit_code: "A", co_unit_codes: ["B", "A", "B", " C "] })).toEqual({
      category_code: "noise",
      area_code: "*",
      lead_unit_code: "A",
      co_unit_codes: ["B", "C"],
    });
    expect(dispatchBody({ category_code: "x", area_code: "*", lead_unit_code: "A" }).co_unit_codes).toEqual([]);
  });
});

describe("time limits", () => {
  it("orders by length whatever the unit", () => {
    const hours = approxHours({ amount: 24, unit: "hours" });
    const days = approxHours({ amount: 2, unit: "natural_days" });
    const working = approxHours({ amount: 5, unit: "working_days" });
    expect(hours).toBeLessThan(days);
    expect(working).toBe(7 * 24);
  });
  it("lists the categories using each rule, general for those without their own", () => {
    const c = (code: string, name: string, rule: string | null) => ({ code, name, time_limit_rule: rule }) as Category;
    const uses = categoriesByRule([c("water", "供水", "utilities"), c("noise", "噪声扰民", "general"), c("other", "其他", null)]);
    expect(uses.get("utilities")).toEqual(["供水"]);
    expect(uses.get("general")).toEqual(["噪声扰民", "其他"]);
  });
});

describe("escalation rules", () => {
  it("converts shares and percentages without float noise", () => {
    expect(shareToPercent(0.75)).toBe(75);
    expect(shareToPercent(0.1 + 0.2)).toBe(30);
    expect(percentToShare(75)).toBe(0.75);
    expect(percentToShare(33.33)).toBe(0.3333);
  });
  it("names a unit or a person only for the target that needs one", () => {
    const base = { name: " 超期督办 ", kind: "escalation" as const, basis: "reply" as const, statuses: ["dispatched" as const, "dispatched" as const], after_percent: 100 };
    const unit = escalationBody({ ...base, target: "unit", target_unit_code: "110105-ZJW", target_staff_id: "s1", category_code: "" });
    expect(unit).toMatchObject({ name: "超期督办", statuses: ["dispatched"], after_share: 1, plus_hours: 0, target_unit_code: "110105-ZJW", target_staff_id: null, category_code: null, request_type: null, active: true });
    const handler = escalationBody({ ...base, target: "handler", target_unit_code: "110105-ZJW", active: false });
    expect(handler).toMatchObject({ target_unit_code: null, target_staff_id: null, active: false });
  });
  it("fills the form from a rule and back to the same body", () => {
    const rule: EscalationRule = {
      id: "r",
      name: "响应催办",
      kind: "reminder",
      level: 0,
      basis: "response",
      statuses: ["dispatched"],
      after_share: 0.75,
      plus_hours: 2,
      target: "staff",
      target_unit_code: null,
      target_staff_id: "s1",
      request_type: "complaint",
      category_code: "noise",
      active: true,
      updated_at: "",
      updated_by: "",
    };
    const { id: _id, level: _level, updated_at: _at, updated_by: _by, ...body } = rule;
    expect(escalationBody(escalationValues(rule))).toEqual(body);
  });
});

describe("ranking rules", () => {
  it("accepts the names the API accepts", () => {
    expect(RULE_NAME.test("red_flag_window")).toBe(true);
    expect(RULE_NAME.test("Red")).toBe(false);
    expect(RULE_NAME.test("1st")).toBe(false);
    expect(RULE_NAME.test("a".repeat(41))).toBe(false);
  });
  it("shows shares as percentages and counts as numbers", () => {
    expect(formatIndicator("good_rate", 0.9567)).toBe("95.67%");
    expect(formatIndicator("ratings", 12)).toBe("12");
    expect(formatIndicator("avg_completion_days", 3.456)).toBe("3.46");
    expect(formatIndicator("good_rate", null)).toBe("—");
  });
  it("sends empty thresholds as none", () => {
    expect(rankingBody({ title: " 红旗窗口 ", dimension: "window", indicator: "good_rate", min_ratings: 20, top_n: 3 })).toEqual({
      title: "红旗窗口",
      dimension: "window",
      indicator: "good_rate",
      min_ratings: 20,
      min_value: null,
      max_bad_reviews: null,
      top_n: 3,
    });
  });
  it("offers the last months, newest first, across a year's end", () => {
    expect(recentMonths(new Date(2027, 1, 15), 3)).toEqual(["2027-02", "2027-01", "2026-12"]);
  });
});
