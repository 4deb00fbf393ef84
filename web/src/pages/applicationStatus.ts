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
      return "red";
    case "withdrawn":
      return "default";
    default:
      return "blue";
  }
}
