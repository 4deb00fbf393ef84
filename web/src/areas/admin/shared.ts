import type { FormInstance } from "antd";
import { ApiError } from "../../api/errors";
import type { components } from "../../api/schema";

export type OrgUnit = components["schemas"]["identity__OrgUnitRead"];
export type OrgNode = components["schemas"]["identity__OrgUnitNodeRead"];
export type Staff = components["schemas"]["identity__StaffRead"];
export type Role = Staff["roles"][number];
export type OrgKind = OrgUnit["kind"];
export type CalendarDay = components["schemas"]["identity__CalendarDayRead"];

export const ROLES: Role[] = [
  "window_clerk",
  "approver",
  "hotline_agent",
  "dispatcher",
  "handler",
  "supervisor",
  "catalog_editor",
  "evaluator",
  "admin",
];
export const KINDS: OrgKind[] = ["district", "street", "community", "department", "service_centre", "station", "window"];
export const LEVELS = [1, 2, 3, 4, 5, 6, 7] as const;

/**
 * Put a problem's field errors (`body.username`) under the form's fields of the same name and return
 * what no field shows (other fields, or the detail of a problem without field errors).
 */
export function problemOnForm(form: FormInstance, error: unknown, fields: string[], fallback: string): string[] {
  if (!(error instanceof ApiError) || !error.problem) return [fallback];
  const rest: string[] = [];
  for (const e of error.problem.errors ?? []) {
    const name = e.field.replace(/^body\./, "").split(".")[0] ?? "";
    if (fields.includes(name)) form.setFields([{ name, errors: [e.message] }]);
    else rest.push(e.message);
  }
  return error.problem.errors?.length ? rest : [error.problem.detail];
}

export { flattenOrg as flatten } from "../../lib/orgTree";

/** The ids of a unit and everything under it (a unit cannot move under its own subtree). */
export function subtreeIds(node: OrgNode): Set<string> {
  return new Set([node.id, ...node.children.flatMap((c) => [...subtreeIds(c)])]);
}

/** The node with `id` in a tree, or undefined. */
export function findNode(nodes: OrgNode[], id: string | undefined): OrgNode | undefined {
  if (!id) return undefined;
  for (const n of nodes) {
    if (n.id === id) return n;
    const found = findNode(n.children, id);
    if (found) return found;
  }
  return undefined;
}

/** The days of a month as weeks (Monday first) for a calendar grid: null pads the first and last week. */
export function monthWeeks(year: number, month: number): (string | null)[][] {
  const first = new Date(Date.UTC(year, month, 1));
  const days = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7;
  const cells: (string | null)[] = Array.from({ length: lead }, () => null);
  for (let d = 1; d <= days; d++) {
    cells.push(`${year}-${String(month + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
  }
  while (cells.length % 7 !== 0) cells.push(null);
  const weeks: (string | null)[][] = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  return weeks;
}

/** Whether a day is a working day: its exception if the calendar has one, else Monday–Friday. */
export function isWorking(day: string, exceptions: Map<string, CalendarDay>): boolean {
  const e = exceptions.get(day);
  if (e) return e.is_working_day;
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6;
}
