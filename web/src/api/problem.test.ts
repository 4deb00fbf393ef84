import { describe, expect, it } from "vitest";
import { mapProblemToFields, problemFieldPath, type Problem } from "./problem";
import { parseRetryAfter } from "./errors";

const validation: Problem = {
  type: "https://yiwang.example/problems/validation",
  title: "请求参数有误",
  status: 422,
  detail: "请按提示修改后重新提交。",
  code: "validation_error",
  errors: [
    { field: "body.username", message: "请填写账号", type: "missing" },
    { field: "body.password", message: "至少 8 位", type: "string_too_short" },
    { field: "body.password", message: "须含字母和数字", type: "value_error" },
    { field: "body.applicant.name", message: "姓名不能为空", type: "missing" },
    { field: "body.materials.0.name", message: "材料名称不能为空", type: "missing" },
    { field: "body", message: "请求体不是合法的 JSON", type: "json_invalid" },
    { field: "query.limit", message: "不能大于 200", type: "less_than_equal" },
  ],
};

describe("problem field paths", () => {
  it("turns a location into a form path", () => {
    expect(problemFieldPath("body.username")).toEqual(["username"]);
    expect(problemFieldPath("body.materials.0.name")).toEqual(["materials", 0, "name"]);
    expect(problemFieldPath("query.limit")).toEqual(["limit"]);
    expect(problemFieldPath("body")).toBeNull();
    expect(problemFieldPath("username")).toBeNull();
  });
});

describe("mapProblemToFields", () => {
  it("puts every field error on its field, several on one field in order", () => {
    const mapped = mapProblemToFields(validation, ["username", "password", ["applicant", "name"], ["materials", 0, "name"]]);
    expect(mapped.fields).toEqual([
      { name: ["username"], errors: ["请填写账号"] },
      { name: ["password"], errors: ["至少 8 位", "须含字母和数字"] },
      { name: ["applicant", "name"], errors: ["姓名不能为空"] },
      { name: ["materials", 0, "name"], errors: ["材料名称不能为空"] },
    ]);
    // The whole body and a field the form does not have go above the form, none is dropped.
    expect(mapped.general).toEqual(["请求体不是合法的 JSON", "不能大于 200"]);
  });

  it("follows aliases when the form names a field differently", () => {
    const mapped = mapProblemToFields(validation, ["account"], { "body.username": "account" });
    expect(mapped.fields[0]).toEqual({ name: ["account"], errors: ["请填写账号"] });
  });

  it("shows the detail of a problem without field errors", () => {
    const locked: Problem = { type: "x", title: "账号已锁定", status: 423, detail: "密码错误次数过多，请 15 分钟后再试。", code: "identity.account_locked" };
    expect(mapProblemToFields(locked, ["username"])).toEqual({ fields: [], general: ["密码错误次数过多，请 15 分钟后再试。"] });
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates", () => {
    expect(parseRetryAfter("30")).toBe(30);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
    const now = Date.parse("2026-12-03T06:00:00Z");
    expect(parseRetryAfter("Thu, 03 Dec 2026 06:01:00 GMT", now)).toBe(60);
  });
});
