import { describe, expect, it } from "vitest";
import { stepsFor, worklist, type BadReview } from "./badReviews";

const c = (over: Partial<BadReview>): BadReview => ({
  id: "c",
  rating_id: "r",
  unit_code: "110105-MZJ",
  status: "open",
  level: 5,
  comment: null,
  rater: "实名用户 #x",
  real_name: true,
  deadline_at: "2026-12-10T00:00:00Z",
  overdue: false,
  called_back_at: null,
  resolution: null,
  rectify_due_on: null,
  rectified_at: null,
  appeal_reason: null,
  appeal_decision: null,
  feedback: null,
  response_level: null,
  transferred_at: null,
  opened_at: "2026-12-01T00:00:00Z",
  closed_at: null,
  steps: [],
  ...over,
});

describe("bad-review steps", () => {
  it("lets only the evaluation office call back, and the unit answer a real-name rater once reached", () => {
    expect(stepsFor(c({}), ["evaluator"])).toEqual(["call_back", "transfer"]);
    expect(stepsFor(c({}), ["approver"])).toEqual(["call_back_request", "transfer"]);
    expect(stepsFor(c({ status: "called_back", called_back_at: "2026-12-02T00:00:00Z" }), ["approver"])).toEqual([
      "call_back_request",
      "rectify",
      "explain",
      "appeal",
      "transfer",
    ]);
  });
  it("lets an anonymous rating be answered without a call-back", () => {
    expect(stepsFor(c({ real_name: false }), ["handler"])).toContain("rectify");
  });
  it("offers the appeal decision to supervisors and evaluators only, feedback after a resolution, close once answered", () => {
    expect(stepsFor(c({ status: "appealed" }), ["supervisor"])).toContain("appeal_decision");
    expect(stepsFor(c({ status: "appealed" }), ["approver"])).not.toContain("appeal_decision");
    expect(stepsFor(c({ status: "rectified", called_back_at: "x" }), ["approver"])).toContain("feedback");
    expect(stepsFor(c({ status: "answered", called_back_at: "x" }), ["supervisor"])).toContain("close");
    expect(stepsFor(c({ status: "closed", closed_at: "x", called_back_at: "x" }), ["supervisor"])).toEqual([]);
  });
});

describe("the bad-review work list", () => {
  it("puts open cases first by deadline, closed ones last", () => {
    const list = worklist([
      c({ id: "closed", status: "closed", closed_at: "x" }),
      c({ id: "late", deadline_at: "2026-12-20T00:00:00Z" }),
      c({ id: "soon", deadline_at: "2026-12-05T00:00:00Z" }),
    ]);
    expect(list.map((x) => x.id)).toEqual(["soon", "late", "closed"]);
  });
});
