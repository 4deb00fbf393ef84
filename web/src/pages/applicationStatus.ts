import type { components } from "../api/schema";

export type ApplicationStatus = components["schemas"]["intake__ApplicationRead"]["status"];

export const STATUSES = [
  "submitted",
  "correction_requested",
  "accepted",
  "under_review",
  "suspended",
  "approved",
  "refused",
  "completed",
  "delivered",
  "withdrawn",
  "acceptance_revoked",
  "not_accepted",
  "correction_expired",
  "revoked",
] as const satisfies readonly ApplicationStatus[];

/** A tag colour per state: blue in progress, orange waiting for the applicant, green done, grey closed. */
export function statusColor(status: ApplicationStatus): string {
  switch (status) {
    case "correction_requested":
    case "suspended":
      return "orange";
    case "approved":
    case "completed":
    case "delivered":
      return "green";
    case "refused":
    case "not_accepted":
    case "acceptance_revoked":
    case "correction_expired":
    case "revoked":
      return "red";
    case "withdrawn":
      return "default";
    default:
      return "blue";
  }
}

/** The stages a case goes through, as the progress bar shows them. */
export const STAGES = ["submitted", "accepted", "review", "decided", "completed", "delivered"] as const;
export type Stage = (typeof STAGES)[number];

export interface Progress {
  /** Index in STAGES of the stage the case is at. */
  current: number;
  /** process: under way; wait: the applicant must act; finish: all done; error: closed early or refused. */
  state: "process" | "wait" | "finish" | "error";
}

/**
 * Where a case stands on the progress bar. A case closed before acceptance (withdrawn, not accepted,
 * corrections not handed in) stops at the first stage; a revoked acceptance at acceptance; a
 * refusal is the decision.
 */
export function progressOf(status: ApplicationStatus): Progress {
  switch (status) {
    case "submitted":
      return { current: 0, state: "process" };
    case "correction_requested":
      return { current: 0, state: "wait" };
    case "accepted":
      return { current: 1, state: "process" };
    case "under_review":
      return { current: 2, state: "process" };
    case "suspended":
      return { current: 2, state: "wait" };
    case "approved":
      return { current: 3, state: "process" };
    case "refused":
      return { current: 3, state: "error" };
    case "completed":
      return { current: 4, state: "process" };
    case "delivered":
      return { current: 5, state: "finish" };
    case "revoked":
      // 告知承诺 found untrue at the post-check: the decision was revoked after it was made.
      return { current: 3, state: "error" };
    case "acceptance_revoked":
      return { current: 1, state: "error" };
    case "withdrawn":
    case "not_accepted":
    case "correction_expired":
      return { current: 0, state: "error" };
  }
}

/** Closed without a result for the applicant: the bar stops where it ended. */
export function isClosedEarly(status: ApplicationStatus): boolean {
  return ["withdrawn", "not_accepted", "correction_expired", "acceptance_revoked"].includes(status);
}

/** Who took a step of the case's history, as its applicant reads it: themselves (the applicant, or
 *  the person now signed in, e.g. an enterprise's agent), the system, or staff — a clerk who
 *  submitted a window application for them is staff, not them. */
export function historyActor(actor: string, applicantId: string, me: string | null | undefined): "you" | "system" | "staff" {
  if (actor === applicantId || (me && actor === me)) return "you";
  return actor === "system" ? "system" : "staff";
}
