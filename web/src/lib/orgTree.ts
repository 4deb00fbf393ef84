import type { components } from "../api/schema";

export type OrgNode = components["schemas"]["identity__OrgUnitNodeRead"];

/** The units of a tree, flat, each with its depth (for a select that shows the hierarchy). */
export function flattenOrg(nodes: OrgNode[], depth = 0): { unit: OrgNode; depth: number }[] {
  return nodes.flatMap((n) => [{ unit: n, depth }, ...flattenOrg(n.children, depth + 1)]);
}
