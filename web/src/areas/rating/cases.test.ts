import { describe, expect, it } from "vitest";
import { caseColor, isWaitingForResponse } from "./cases";

describe("following a bad review (差评整改)", () => {
  it("asks for the second rating only after the feedback, once", () => {
    expect(isWaitingForResponse({ status: "rectifying", response_level: null })).toBe(false);
    expect(isWaitingForResponse({ status: "answered", response_level: null })).toBe(true);
    expect(isWaitingForResponse({ status: "closed", response_level: null })).toBe(true);
    expect(isWaitingForResponse({ status: "closed", response_level: 2 })).toBe(false);
    expect(isWaitingForResponse({ status: "superseded", response_level: null })).toBe(false);
  });
  it("colours a case by where it stands", () => {
    expect(caseColor("open")).toBe("orange");
    expect(caseColor("answered")).toBe("green");
    expect(caseColor("withdrawn")).toBe("default");
  });
});
