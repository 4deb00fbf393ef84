import { describe, expect, it } from "vitest";
import { asGuideMaterial, bundleBody, bundleSlots, caseState, stagesOf, type BundleMaterial } from "./model";

const mat = (over: Partial<BundleMaterial>): BundleMaterial => ({
  name: "营业执照",
  source: null,
  originals: 0,
  copies: 0,
  media: ["electronic"],
  requirement: "required",
  exempt: false,
  exempt_source: null,
  shared: false,
  needed_by: [{ item_code: "A", item_name: "食品经营许可", requirement: "required", condition: null }],
  ...over,
});

describe("bundle model", () => {
  it("shows a merged material as a guide's: electronic ones uploaded, exempt ones never asked", () => {
    const slots = bundleSlots({ materials: [mat({}), mat({ name: "身份证", exempt: true }), mat({ name: "申请书", media: ["original"], originals: 1 })] }, []);
    expect(slots.map((s) => [s.name, s.provision, s.needed])).toEqual([
      ["营业执照", "upload", true],
      ["身份证", "exempt", false],
      ["申请书", "paper", true],
    ]);
    expect(asGuideMaterial(mat({ requirement: "conditional", needed_by: [{ item_code: "A", item_name: "x", requirement: "conditional", condition: "委托代理人办理的" }] })).condition).toBe("委托代理人办理的");
  });

  it("sends each material once, the form's filled fields and the delivery wish", () => {
    const slots = bundleSlots({ materials: [mat({}), mat({ name: "申请书", media: ["original"], originals: 1 })] }, []);
    const { body, keys } = bundleBody("YJS000001", slots, { m0: { file: { id: "f1", name: "a.pdf", size: 1 } }, m1: { paper: true } }, [], { shop: " 张记 ", empty: " " }, { mode: "window" });
    expect(keys).toEqual(["m0", "m1"]);
    expect((body.materials ?? []).map((m) => [m.name, m.provided_as])).toEqual([["营业执照", "upload"], ["申请书", "paper"]]);
    expect(body.form).toEqual({ shop: "张记", delivery: { mode: "window" } });
  });

  it("groups items by stage in order and tells a case's state", () => {
    expect(stagesOf([{ stage: 2, n: "b" }, { stage: 1, n: "a" }, { stage: 2, n: "c" }]).map((s) => [s.stage, s.members.map((m) => m.n)])).toEqual([
      [1, ["a"]],
      [2, ["b", "c"]],
    ]);
    const base = { application_id: "x", application_no: "n", decision: null, due_on: null, item_code: "i", item_name: "n", owner_unit_code: "u", result_name: null, stage: 1, status_name: "" };
    expect(caseState({ ...base, status: "submitted", handed_over: false })).toBe("intake");
    expect(caseState({ ...base, status: "accepted", handed_over: false })).toBe("waiting");
    expect(caseState({ ...base, status: "under_review", handed_over: true })).toBe("active");
    expect(caseState({ ...base, status: "completed", handed_over: true })).toBe("done");
  });
});
