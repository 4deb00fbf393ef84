import type { components } from "../../api/schema";

export type PostCheck = components["schemas"]["intake__PostCheckRead"];
export const POST_CHECK_TABS = ["pending", "passed", "failed", "all"] as const satisfies readonly (PostCheck["status"] | "all")[];
export type PostCheckTab = (typeof POST_CHECK_TABS)[number];

/** Calendar days from `today` to `due` (both YYYY-MM-DD): negative once overdue. */
export function daysUntil(due: string, today: string): number {
  return Math.round((Date.parse(`${due}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}
