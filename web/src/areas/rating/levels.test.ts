import { describe, expect, it } from "vitest";
import { BAD_REASONS, GOOD_REASONS, isBad, keptReasons, normaliseCode, ratingBody, ratingProblems, reasonsFor } from "./levels";

describe("rating levels and reasons (好差评)", () => {
  it("treats 不满意 and 非常不满意 as bad reviews", () => {
    expect([1, 2, 3, 4, 5].map((l) => isBad(l as 1))).toEqual([false, false, false, true, true]);
    expect(isBad(undefined)).toBe(false);
  });

  it("offers what went wrong for a bad review, what went well otherwise", () => {
    expect(reasonsFor(5)).toBe(BAD_REASONS);
    expect(reasonsFor(3)).toBe(GOOD_REASONS);
    expect(reasonsFor(undefined)).toEqual([]);
    for (const r of [...GOOD_REASONS, ...BAD_REASONS]) expect(r.text.length).toBeLessThanOrEqual(30);
  });

  it("requires a level, and a reason for a bad review only", () => {
    expect(ratingProblems({})).toEqual(["level"]);
    expect(ratingProblems({ level: 1 })).toEqual([]);
    expect(ratingProblems({ level: 4 })).toEqual(["aspects"]);
    expect(ratingProblems({ level: 4, aspects: ["多次跑动"] })).toEqual([]);
    // A reason chosen for a good level does not count for a bad one.
    expect(ratingProblems({ level: 5, aspects: ["办事效率高"] })).toEqual(["aspects"]);
  });

  it("sends only the reasons of the chosen level, a trimmed comment and the code as shown", () => {
    expect(keptReasons({ level: 2, aspects: ["办事效率高", "多次跑动"] })).toEqual(["办事效率高"]);
    expect(ratingBody({ level: 5, aspects: ["多次跑动"], comment: "  跑了三次 " }, "qr", " ab2c-d3ef 4g ")).toEqual({
      level: 5,
      channel: "qr",
      aspects: ["多次跑动"],
      comment: "跑了三次",
      code: "AB2CD3EF4G",
    });
    expect(ratingBody({ level: 1, comment: " " }, "pc")).toEqual({ level: 1, channel: "pc", aspects: [] });
    expect(normaliseCode("abc def")).toBe("ABCDEF");
  });
});
