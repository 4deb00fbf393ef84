import { describe, expect, it } from "vitest";
import {
  canApplyOnline,
  conditionsOf,
  correctionSlots,
  deliveryModesFor,
  materialAliases,
  missingSlots,
  noticeProblems,
  slotsOf,
  submissionBody,
  type GuideMaterial,
} from "./model";

const m = (name: string, media: string[], extra: Partial<GuideMaterial> = {}): GuideMaterial => ({
  name,
  source: null,
  originals: 1,
  copies: 0,
  media: media.map((code) => ({ code, label: code })),
  requirement: { code: "required", label: "必要" },
  condition: null,
  blank_form_url: null,
  sample_form_url: null,
  exempt: false,
  exempt_source: null,
  notes: null,
  ...extra,
});

// 困难老年人养老服务补贴 in the demo catalogue, with a conditional material added.
const MATERIALS = [
  m("申请表", ["original", "electronic"]),
  m("居民身份证", ["original", "electronic"], { exempt: true, exempt_source: "电子证照库" }),
  m("北京通—养老助残卡", ["original"]),
  m("代理人居民身份证", ["original", "copy"], {
    requirement: { code: "conditional", label: "情形材料" },
    condition: "委托他人代为申请的",
    copies: 1,
  }),
];

describe("the apply form from the item's materials", () => {
  it("never asks for exempt materials, and conditional ones only when their condition applies", () => {
    const slots = slotsOf(MATERIALS, []);
    expect(slots.map((s) => [s.name, s.provision, s.needed])).toEqual([
      ["申请表", "upload", true],
      ["居民身份证", "exempt", false],
      ["北京通—养老助残卡", "paper", true],
      ["代理人居民身份证", "paper", false],
    ]);
    expect(slotsOf(MATERIALS, ["代理人居民身份证"])[3]!.needed).toBe(true);
    expect(conditionsOf(MATERIALS)).toEqual([{ name: "代理人居民身份证", condition: "委托他人代为申请的" }]);
  });

  it("lists every missing material at once", () => {
    const slots = slotsOf(MATERIALS, ["代理人居民身份证"]);
    expect(missingSlots(slots, {}).map((s) => s.name)).toEqual(["申请表", "北京通—养老助残卡", "代理人居民身份证"]);
    const values = { m0: { file: { id: "f1", name: "a.pdf", size: 10 } }, m2: { paper: true } };
    expect(missingSlots(slots, values).map((s) => s.name)).toEqual(["代理人居民身份证"]);
  });

  it("builds intake's body: uploads with their file, paper with the counts the item asks, the delivery wish in the form", () => {
    const slots = slotsOf(MATERIALS, ["代理人居民身份证"]);
    const values = {
      m0: { file: { id: "f1", name: "a.pdf", size: 10 } },
      m2: { paper: true },
      m3: { paper: true },
      m1: { paper: true }, // exempt: never sent
    };
    const { body, keys } = submissionBody("X-01", slots, values, ["代理人居民身份证", "未知情形"], {
      mode: "post",
      address: " 北京市朝阳区朝外大街 1 号 ",
      recipient: "王芳",
      phone: "",
    });
    expect(keys).toEqual(["m0", "m2", "m3"]);
    expect(body).toEqual({
      item_code: "X-01",
      conditions: ["代理人居民身份证"],
      form: { delivery: { mode: "post", address: "北京市朝阳区朝外大街 1 号", recipient: "王芳" } },
      materials: [
        { name: "申请表", provided_as: "upload", file_id: "f1", media: ["electronic"], originals: 0, copies: 0 },
        { name: "北京通—养老助残卡", provided_as: "paper", media: ["original"], originals: 1, copies: 0 },
        { name: "代理人居民身份证", provided_as: "paper", media: ["original", "copy"], originals: 1, copies: 1 },
      ],
    });
    expect(materialAliases(keys)["body.materials.1.copies"]).toEqual(["materials", "m2"]);
    // Window pickup carries no address.
    expect(submissionBody("X-01", slots, values, [], { mode: "window", address: "x" }).body.form).toEqual({
      delivery: { mode: "window" },
    });
  });

  it("knows which items can be applied for online and how results can come", () => {
    expect(canApplyOnline({ online_depth: { code: "IV", label: "" }, handling_forms: [] })).toBe(true);
    expect(canApplyOnline({ online_depth: { code: "II", label: "" }, handling_forms: [{ code: "1", label: "窗口办理" }] })).toBe(false);
    expect(canApplyOnline({ online_depth: null, handling_forms: [{ code: "3", label: "移动端办理" }] })).toBe(true);
    expect(deliveryModesFor({ post_delivery_supported: false })).toEqual(["window", "locker"]);
    expect(deliveryModesFor({ post_delivery_supported: true })).toEqual(["window", "post", "locker"]);
  });

  it("turns a one-time notice into one correction per material named", () => {
    const slots = correctionSlots(
      [
        { material: "北京通—养老助残卡", problem: "missing", message: "缺少" },
        { material: "申请表", problem: "format", message: "须本人签字" },
        { material: "申请表", problem: "file", message: "文件无效" },
        { material: "居民身份证", problem: "exempt_not_allowed", message: "须提交" },
        { material: "情况说明", problem: "format", message: "请补充" },
      ],
      MATERIALS,
    );
    expect(slots.map((s) => [s.name, s.provision, s.needed])).toEqual([
      ["北京通—养老助残卡", "paper", true],
      ["申请表", "upload", true],
      ["居民身份证", "upload", true],
      ["情况说明", "upload", true],
    ]);
  });
});

describe("what the one-time notice asks for", () => {
  const entry = (seq: number, action: "submitted" | "notice_issued" | "resubmitted", data: Record<string, unknown>) => ({
    seq,
    action,
    actor: "a",
    at: "2026-12-03T10:00:00Z",
    data,
    prev_hash: "",
    hash: "",
  });

  it("is the latest notice's list from the trace, the clerk's own problems included", () => {
    const entries = [
      entry(1, "submitted", { problems: 0 }),
      entry(2, "notice_issued", { problems: [{ material: "A", problem: "missing", message: "缺少A" }] }),
      entry(3, "resubmitted", { problems: 0 }),
      entry(4, "notice_issued", {
        notice_no: "朝政补字〔2026〕第000002号",
        problems: [{ material: "申请表", problem: "format", message: "须本人签字" }, { bad: true }],
      }),
    ];
    expect(noticeProblems(entries)).toEqual([{ material: "申请表", problem: "format", message: "须本人签字" }]);
    expect(noticeProblems(entries.slice(0, 1))).toBeNull();
  });
});

describe("告知承诺", () => {
  it("a signed commitment stands in for the materials it replaces, unsigned they are asked for", async () => {
    const { withCommitment } = await import("./model");
    const slot = (name: string) => ({ key: name, name, provision: "upload" as const, needed: true, conditional: false, condition: null, originals: 0, copies: 0, material: {} as never });
    const slots = [slot("申请书"), slot("卫生检测报告")];
    expect(withCommitment(slots, ["卫生检测报告"], false)).toBe(slots);
    const signed = withCommitment(slots, ["卫生检测报告"], true);
    expect(signed.map((s) => [s.name, s.needed, Boolean(s.committed)])).toEqual([
      ["申请书", true, false],
      ["卫生检测报告", false, true],
    ]);
  });
});
