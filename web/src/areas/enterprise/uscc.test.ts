import { describe, expect, it } from "vitest";
import { normaliseUscc, usccCheckChar, usccProblem } from "./uscc";

describe("统一社会信用代码 (GB 32100)", () => {
  it("accepts the demo enterprise's code and other valid ones", () => {
    expect(usccProblem("91110105MA01C7Q83T")).toBeNull();
    // 国家市场监督管理总局's published example.
    expect(usccProblem("91350100M000100Y43")).toBeNull();
  });

  it("computes the check character, including the 0 case", () => {
    expect(usccCheckChar("91110105MA01C7Q83")).toBe("T");
    expect(usccCheckChar("91350100M000100Y4")).toBe("3");
    for (const body of ["91110105MA01C7Q83", "12100000400000013", "31110000MA0000000", "91110105MA01C7QA8"]) {
      const check = usccCheckChar(body);
      expect(check).not.toBeNull();
      expect(usccProblem(body + check)).toBeNull();
    }
  });

  it("says what is wrong", () => {
    expect(usccProblem("91110105MA01C7Q83")).toBe("length");
    expect(usccProblem("91110105MA01C7Q83T1")).toBe("length");
    expect(usccProblem("91110105MA01C7Q8IT")).toBe("characters"); // I is not used
    expect(usccProblem("91110105MA01C7Q83A")).toBe("checkDigit");
    expect(usccProblem("9111010AMA01C7Q83T")).toBe("region");
    expect(usccProblem("91110105MA01C7Q84T")).toBe("checkDigit");
  });

  it("reads a code typed with spaces, lower case or full-width characters", () => {
    expect(normaliseUscc(" 9111 0105 ma01 c7q8 3t ")).toBe("91110105MA01C7Q83T");
    expect(normaliseUscc("９１１１０１０５ＭＡ０１Ｃ７Ｑ８３Ｔ")).toBe("91110105MA01C7Q83T");
  });
});
