import { describe, expect, it } from "vitest";
import { dataLines, daysLeft, licenceColor, shareLink } from "./model";

describe("licence model", () => {
  it("counts the days left, none for a licence without end", () => {
    expect(daysLeft("2026-12-10", "2026-12-05")).toBe(5);
    expect(daysLeft(null, "2026-12-05")).toBeNull();
  });
  it("lists the printed facts, skipping nested data", () => {
    expect(dataLines({ 姓名: "王芳", 年龄: 48, 成员: ["a"] })).toEqual([
      { label: "姓名", value: "王芳" },
      { label: "年龄", value: "48" },
    ]);
  });
  it("colours by state and links a share to the public page", () => {
    expect(licenceColor("revoked")).toBe("red");
    expect(shareLink("https://x", "AB CD")).toBe("https://x/verify/AB%20CD");
  });
});
