import { describe, expect, it } from "vitest";
import { historyActor, isClosedEarly, progressOf, STAGES, STATUSES } from "./applicationStatus";

describe("a case's progress", () => {
  it("places every state on the bar", () => {
    for (const status of STATUSES) {
      const p = progressOf(status);
      expect(p.current).toBeGreaterThanOrEqual(0);
      expect(p.current).toBeLessThan(STAGES.length);
    }
  });

  it("waits for the applicant while corrections are asked for, and ends at delivery", () => {
    expect(progressOf("correction_requested")).toEqual({ current: 0, state: "wait" });
    expect(progressOf("accepted")).toEqual({ current: 1, state: "process" });
    expect(progressOf("delivered")).toEqual({ current: 5, state: "finish" });
    expect(progressOf("refused").state).toBe("error");
    expect(isClosedEarly("withdrawn")).toBe(true);
    expect(isClosedEarly("accepted")).toBe(false);
  });
});

describe("who took a step of the history", () => {
  it("names the applicant and the person signed in as themselves, a clerk who submitted for them as staff", () => {
    expect(historyActor("p-1", "p-1", "p-1")).toBe("you");
    expect(historyActor("agent-1", "ent-1", "agent-1")).toBe("you");
    expect(historyActor("clerk-1", "p-1", "p-1")).toBe("staff");
    expect(historyActor("system", "p-1", "p-1")).toBe("system");
    expect(historyActor("clerk-1", "p-1", null)).toBe("staff");
  });
});
