import type { components } from "../../api/schema";

export type BadReview = components["schemas"]["evaluation__BadReviewRead"];
export type Status = BadReview["status"];

/** Every step a bad-review case may take, in the order they are offered. */
export type Step =
  | "call_back"
  | "call_back_request"
  | "rectify"
  | "rectification_done"
  | "explain"
  | "appeal"
  | "appeal_decision"
  | "feedback"
  | "close"
  | "transfer";

const OVERSEERS = ["supervisor", "evaluator", "admin"];
const HANDLERS = ["handler", "window_clerk", "approver", "supervisor", "admin"];
const REVIEWERS = ["supervisor", "evaluator"];
const ANSWERABLE: Status[] = ["open", "called_back"];
const RESOLVED: Status[] = ["rectified", "explained", "appeal_upheld"];

/**
 * The steps the case's state allows to someone with these roles (evaluation-svc's rules: only the
 * evaluation office calls back; a real-name rater must be reached before the unit answers).
 */
export function stepsFor(c: BadReview, roles: string[]): Step[] {
  const has = (set: string[]) => roles.some((r) => set.includes(r));
  const overseer = has(OVERSEERS);
  const handler = has(HANDLERS) || overseer;
  const needsCallBack = c.real_name && c.called_back_at === null;
  const steps: Step[] = [];
  if (ANSWERABLE.includes(c.status)) {
    if (overseer) steps.push("call_back");
    else if (handler) steps.push("call_back_request");
    if (handler && !needsCallBack) steps.push("rectify", "explain", "appeal");
  }
  if (c.status === "rectifying" && handler) steps.push("rectification_done");
  if (c.status === "appealed" && has(REVIEWERS)) steps.push("appeal_decision");
  if (RESOLVED.includes(c.status) && handler) steps.push("feedback");
  if (c.status === "answered" && handler && !needsCallBack) steps.push("close");
  if (handler && c.closed_at === null && c.transferred_at === null && !["superseded", "withdrawn", "closed"].includes(c.status)) steps.push("transfer");
  return steps;
}

/** Still to be handled (not closed, superseded or withdrawn). */
export function isOpen(c: BadReview): boolean {
  return !["closed", "superseded", "withdrawn"].includes(c.status);
}

/** The work list: open cases first, the earliest deadline first; closed ones after, newest first. */
export function worklist(cases: BadReview[]): BadReview[] {
  return [...cases].sort((a, b) => {
    if (isOpen(a) !== isOpen(b)) return isOpen(a) ? -1 : 1;
    return isOpen(a) ? a.deadline_at.localeCompare(b.deadline_at) : b.opened_at.localeCompare(a.opened_at);
  });
}
