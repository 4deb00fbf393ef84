import type { components } from "../../api/schema";

type OwnCase = components["schemas"]["evaluation__BadReviewOwnRead"];
export type CaseStatus = OwnCase["status"];

/** The rater may rate the handling once the unit has answered, and only once. */
export function isWaitingForResponse(item: Pick<OwnCase, "status" | "response_level">): boolean {
  return (item.status === "answered" || item.status === "closed") && (item.response_level === null || item.response_level === undefined);
}

/** Tag colour per case state: orange while the unit works on it, green once answered, grey when it left. */
export function caseColor(status: CaseStatus): string {
  switch (status) {
    case "answered":
    case "closed":
    case "rectified":
      return "green";
    case "superseded":
    case "withdrawn":
    case "appeal_upheld":
      return "default";
    default:
      return "orange";
  }
}
