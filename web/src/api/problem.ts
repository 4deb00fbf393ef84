import type { components } from "./schema";

/** RFC 9457 problem details as every service and the gateway answer them. */
export type Problem = components["schemas"]["Problem"];
export type FieldError = NonNullable<Problem["errors"]>[number];
/** An Ant Design form field name: `"phone"` or `["applicant", "name"]` or `["materials", 0, "name"]`. */
export type FieldPath = (string | number)[];

export function isProblem(value: unknown): value is Problem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.status === "number" && typeof v.code === "string" && typeof v.detail === "string";
}

/**
 * A problem field (`body.applicant.name`, `query.limit`, `body.materials.0.name`) as a form path
 * (`["applicant", "name"]`); null for the body as a whole (`body`) or a location we cannot name.
 */
export function problemFieldPath(field: string): FieldPath | null {
  const parts = field.split(".").filter((p) => p.length > 0);
  const where = parts.shift();
  if (!where || !["body", "query", "path", "header"].includes(where) || parts.length === 0) return null;
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export interface MappedProblem {
  /** Errors for fields the form has, in `form.setFields` shape. */
  fields: { name: FieldPath; errors: string[] }[];
  /** Messages no form field can show (the whole body, unknown fields, or the problem's detail). */
  general: string[];
}

function samePath(a: FieldPath, b: FieldPath): boolean {
  return a.length === b.length && a.every((part, i) => String(part) === String(b[i]));
}

/**
 * Spread a problem's field errors over a form's fields.
 *
 * `formFields` are the names the form has; `aliases` maps an API field path (`body.username`) to a
 * form field when the two differ. A validation problem's field errors go to their fields (several
 * on one field are joined in order); what no field can show, and the `detail` of a problem with no
 * field errors, goes to `general` so the page can show it above the form.
 */
export function mapProblemToFields(
  problem: Problem,
  formFields: (string | FieldPath)[],
  aliases: Record<string, string | FieldPath> = {},
): MappedProblem {
  const known = formFields.map((f) => (Array.isArray(f) ? f : [f]));
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  const general: string[] = [];
  for (const error of problem.errors ?? []) {
    const alias = aliases[error.field];
    const path = alias !== undefined ? (Array.isArray(alias) ? alias : [alias]) : problemFieldPath(error.field);
    const match = path ? known.find((k) => samePath(k, path)) : undefined;
    if (!match) {
      general.push(error.message);
      continue;
    }
    const key = JSON.stringify(match.map(String));
    const entry = byField.get(key) ?? { name: match, errors: [] };
    entry.errors.push(error.message);
    byField.set(key, entry);
  }
  if (!problem.errors || problem.errors.length === 0) general.push(problem.detail);
  return { fields: [...byField.values()], general };
}
