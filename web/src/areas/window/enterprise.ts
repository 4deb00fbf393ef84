import type { components } from "../../api/schema";
import type { Problem } from "../../api/problem";
import { normaliseUscc, usccProblem } from "../enterprise/uscc";

/**
 * An enterprise's application at the window (法人授权): how the clerk's search is read, and what a
 * grant check or intake's refusal means for the person at the counter.
 */

export type Enterprise = components["schemas"]["identity__EnterpriseRead"];
export type GrantCheck = components["schemas"]["identity__GrantCheckRead"];
export type GrantReason = GrantCheck["reason"];

export type EnterpriseSearch = { uscc: string } | { name: string } | { badUscc: string };

/**
 * What the clerk typed to find an enterprise: a valid 统一社会信用代码 is looked up exactly; 18
 * letters and digits that fail its check are a mistyped code; anything else is a part of the name.
 */
export function enterpriseSearch(typed: string): EnterpriseSearch | null {
  const code = normaliseUscc(typed);
  if (!code) return null;
  if (/^[0-9A-Z]{18}$/.test(code)) return usccProblem(code) === null ? { uscc: code } : { badUscc: code };
  return { name: typed.trim() };
}

const REASONS: readonly GrantReason[] = [
  "legal_representative",
  "grant",
  "out_of_scope",
  "grant_pending",
  "grant_not_yet_valid",
  "grant_expired",
  "grant_revoked",
  "no_grant",
  "enterprise_not_verified",
];

/** May the person act for the enterprise on the item, by identity's answer? */
export function allows(reason: GrantReason): boolean {
  return reason === "legal_representative" || reason === "grant";
}

/**
 * The refusal behind intake's 403 `intake.grant_missing` (its `reason`), or null when the problem
 * is another one or names no reason identity gives (then its own text is shown).
 */
export function grantRefusal(problem: Problem | null | undefined): GrantReason | null {
  if (!problem || problem.code !== "intake.grant_missing") return null;
  const reason = problem.reason;
  return typeof reason === "string" && (REASONS as readonly string[]).includes(reason) && !allows(reason as GrantReason)
    ? (reason as GrantReason)
    : null;
}

/** What to tell the person about a refusal: a key under window:grant.todo. */
export function todoOf(reason: GrantReason): "widen" | "confirm" | "wait" | "grant" | "verify" | null {
  switch (reason) {
    case "out_of_scope":
      return "widen";
    case "grant_pending":
      return "confirm";
    case "grant_not_yet_valid":
      return "wait";
    case "grant_expired":
    case "grant_revoked":
    case "no_grant":
      return "grant";
    case "enterprise_not_verified":
      return "verify";
    default:
      return null;
  }
}
