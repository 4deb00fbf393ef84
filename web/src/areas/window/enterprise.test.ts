import { describe, expect, it } from "vitest";
import type { Problem } from "../../api/problem";
import { allows, enterpriseSearch, grantRefusal, todoOf } from "./enterprise";

const problem = (over: Partial<Problem> & Record<string, unknown>): Problem => ({
  type: "about:blank",
  title: "Forbidden",
  status: 403,
  detail: "经办人没有有效授权",
  code: "intake.grant_missing",
  ...over,
});

describe("finding an enterprise at the window", () => {
  it("looks a valid credit code up exactly, however it was typed", () => {
    expect(enterpriseSearch("91110105MA01C7Q83T")).toEqual({ uscc: "91110105MA01C7Q83T" });
    expect(enterpriseSearch(" 9111 0105 ma01 c7q8 3t ")).toEqual({ uscc: "91110105MA01C7Q83T" });
    expect(enterpriseSearch("９１１１０１０５ＭＡ０１Ｃ７Ｑ８３Ｔ")).toEqual({ uscc: "91110105MA01C7Q83T" });
  });
  it("tells a mistyped code from a name", () => {
    expect(enterpriseSearch("91110105MA01C7Q830")).toEqual({ badUscc: "91110105MA01C7Q830" });
    expect(enterpriseSearch("朝阳示例")).toEqual({ name: "朝阳示例" });
    expect(enterpriseSearch(" Example 科技 ")).toEqual({ name: "Example 科技" });
    expect(enterpriseSearch("   ")).toBeNull();
  });
});

describe("grants", () => {
  it("allows the legal representative and a grant covering the item, nothing else", () => {
    expect(allows("legal_representative")).toBe(true);
    expect(allows("grant")).toBe(true);
    for (const r of ["out_of_scope", "grant_pending", "grant_expired", "no_grant", "enterprise_not_verified"] as const) expect(allows(r)).toBe(false);
  });
  it("reads intake's refusal from its problem, and only a refusal", () => {
    expect(grantRefusal(problem({ reason: "grant_pending" }))).toBe("grant_pending");
    expect(grantRefusal(problem({ reason: "no_grant" }))).toBe("no_grant");
    // identity refused the check itself: no reason, intake's own text is shown.
    expect(grantRefusal(problem({}))).toBeNull();
    expect(grantRefusal(problem({ reason: "grant" }))).toBeNull();
    expect(grantRefusal(problem({ reason: "no_grant", code: "intake.role_required" }))).toBeNull();
    expect(grantRefusal(null)).toBeNull();
  });
  it("says what to do about each refusal", () => {
    expect(todoOf("out_of_scope")).toBe("widen");
    expect(todoOf("grant_pending")).toBe("confirm");
    expect(todoOf("grant_not_yet_valid")).toBe("wait");
    expect(todoOf("grant_revoked")).toBe("grant");
    expect(todoOf("no_grant")).toBe("grant");
    expect(todoOf("enterprise_not_verified")).toBe("verify");
    expect(todoOf("grant")).toBeNull();
  });
});
