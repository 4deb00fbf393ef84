import type { components } from "../../api/schema";

export type Elements = components["schemas"]["catalog__ItemElements"];
export type Finding = components["schemas"]["catalog__FindingRead"];
export type VersionStatus = "draft" | "in_review" | "published" | "retired";
export type FieldPath = (string | number)[];

/** A form field name as the quality checker writes element paths: ["materials", 2, "source"] → "materials[2].source". */
export function elementPath(name: FieldPath): string {
  let out = "";
  for (const part of name) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? part : `.${part}`;
  }
  return out;
}

/** The top-level element a path belongs to: "materials[2].source" → "materials". */
export function topElement(path: string): string {
  return /^[a-z_]+/.exec(path)?.[0] ?? path;
}

/** The editor's sections (tabs) and the top-level elements each holds, in the order of the guide. */
export const SECTIONS: { key: string; elements: string[] }[] = [
  {
    key: "basic",
    elements: [
      "name",
      "code",
      "item_type",
      "implementing_unit",
      "level",
      "power_source",
      "handling_type",
      "service_objects",
      "community_kind",
      "quantity_limit",
      "keywords",
      "themes",
    ],
  },
  { key: "legal", elements: ["legal_basis"] },
  { key: "limits", elements: ["legal_limit", "promised_limit", "acceptance_conditions"] },
  { key: "materials", elements: ["materials"] },
  { key: "process", elements: ["process", "process_chart_url", "special_steps", "no_special_steps"] },
  {
    key: "where",
    elements: ["place", "hours", "enquiry_phone", "supervision_phone", "phones"],
  },
  {
    key: "online",
    elements: [
      "handling_forms",
      "online_depth",
      "visits",
      "visits_reason",
      "appointment_supported",
      "appointment",
      "online_payment_supported",
      "post_delivery_supported",
    ],
  },
  { key: "fees", elements: ["fees"] },
  { key: "result", elements: ["result", "faq"] },
];

/** The section a finding's element belongs to ("basic" for anything not listed). */
export function sectionOf(path: string): string {
  const top = topElement(path);
  return SECTIONS.find((s) => s.elements.includes(top))?.key ?? "basic";
}

/**
 * Findings placed for the form: those whose element is a field the form shows go beside it
 * (`byField`); the others (a whole list, an element without a field) go at the top of their section.
 */
export function placeFindings(
  findings: Finding[],
  fields: Set<string>,
): { byField: Map<string, Finding[]>; bySection: Map<string, Finding[]> } {
  const byField = new Map<string, Finding[]>();
  const bySection = new Map<string, Finding[]>();
  for (const f of findings) {
    const target = fields.has(f.element) ? byField : bySection;
    const key = fields.has(f.element) ? f.element : sectionOf(f.element);
    target.set(key, [...(target.get(key) ?? []), f]);
  }
  return { byField, bySection };
}

/** Counts per section: errors and all findings, for the tabs' badges. */
export function sectionCounts(findings: Finding[]): Map<string, { errors: number; all: number }> {
  const out = new Map<string, { errors: number; all: number }>();
  for (const f of findings) {
    const key = sectionOf(f.element);
    const c = out.get(key) ?? { errors: 0, all: 0 };
    c.all += 1;
    if (f.severity === "error") c.errors += 1;
    out.set(key, c);
  }
  return out;
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Errors first, then warnings, then hints; stable within a severity. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}

function blank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === "string" && value.trim() === "");
}

/** A value from the form as the API wants it: empty texts become null, empty objects drop out. */
function clean(value: unknown): unknown {
  if (typeof value === "string") return value.trim() === "" ? null : value;
  if (Array.isArray(value)) return value.filter((v) => v !== undefined && v !== null).map(clean);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      out[k] = clean(v);
    }
    return out;
  }
  return value;
}

/** A time limit from the form: null unless an amount and a unit are given. */
function limitOf(value: unknown): unknown {
  if (!value || typeof value !== "object") return null;
  const v = value as { value?: number | null; unit?: string | null; note?: string | null };
  if (v.value === undefined || v.value === null || blank(v.unit)) return null;
  return { value: v.value, unit: v.unit, note: blank(v.note) ? null : v.note };
}

/**
 * The element document to save from the form's values layered on the version's own (so elements
 * the form does not show, such as `demo`, are kept): texts trimmed to null, time limits whole or
 * null, list entries without their required text dropped only when wholly empty.
 */
export function elementsFromForm(base: Elements, values: Record<string, unknown>): Elements {
  const merged = { ...base, ...(clean(values) as Record<string, unknown>) } as Record<string, unknown>;
  for (const key of ["legal_limit", "promised_limit"]) merged[key] = limitOf(merged[key]);
  for (const key of ["process", "special_steps"]) {
    const list = (merged[key] as Record<string, unknown>[] | undefined) ?? [];
    merged[key] = list.map((step) => ({ ...step, time_limit: limitOf(step.time_limit) }));
  }
  const place = merged.place as Record<string, unknown> | null | undefined;
  if (place && Object.values(place).every(blank)) merged.place = null;
  for (const key of ["keywords", "themes"]) {
    merged[key] = ((merged[key] as unknown[] | undefined) ?? []).filter((v) => !blank(v));
  }
  const fees = (merged.fees as { charged?: boolean; items?: unknown[] } | null | undefined) ?? {};
  merged.fees = { charged: fees.charged ?? false, items: fees.items ?? [] };
  merged.result = merged.result ?? {};
  return merged as unknown as Elements;
}

/** What a version's status lets the caller do, given the work list's `can_publish`. */
export function actionsFor(
  status: VersionStatus,
  opts: { canPublish: boolean; isCurrent: boolean; itemRetired: boolean; newestIsOpen: boolean },
): { edit: boolean; submit: boolean; returnToDraft: boolean; publish: boolean; newVersion: boolean; retire: boolean } {
  return {
    edit: status === "draft",
    submit: status === "draft",
    returnToDraft: status === "in_review",
    publish: status === "in_review" && opts.canPublish,
    newVersion: status === "published" && opts.isCurrent && !opts.newestIsOpen && !opts.itemRetired,
    retire: !opts.itemRetired && status === "published" && opts.isCurrent,
  };
}

/** A diff value as text: null as "—", booleans and lists readable. */
export function diffText(value: unknown, yes: string, no: string): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "boolean") return value ? yes : no;
  if (Array.isArray(value)) return value.length === 0 ? "—" : value.join("、");
  if (typeof value === "object") return Object.keys(value).length === 0 ? "—" : JSON.stringify(value);
  return String(value);
}

/** Whole days since an ISO time (the work list's "waiting for" column), never negative. */
export function daysSince(iso: string, now: Date = new Date()): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now.getTime() - t) / 86_400_000));
}

/** The fields of each list entry the editor shows (the element paths findings may name). */
export const LIST_FIELDS: Record<string, string[]> = {
  legal_basis: ["law", "article", "text"],
  materials: [
    "name",
    "source",
    "originals",
    "copies",
    "media",
    "requirement",
    "condition",
    "blank_form_url",
    "sample_form_url",
    "exempt",
    "exempt_source",
    "notes",
  ],
  process: ["step", "actor", "time_limit", "description"],
  special_steps: ["kind", "description", "time_limit"],
  "fees.items": ["name", "standard", "basis"],
  faq: ["question", "answer"],
};

/** Elements with a place of their own in the form (besides the list entries). */
export const ANCHORS = [
  "name",
  "item_type",
  "level",
  "power_source",
  "handling_type",
  "service_objects",
  "community_kind",
  "quantity_limit",
  "keywords",
  "themes",
  "implementing_unit",
  "implementing_unit.uscc",
  "legal_basis",
  "legal_limit",
  "promised_limit",
  "acceptance_conditions",
  "materials",
  "process",
  "process_chart_url",
  "special_steps",
  "no_special_steps",
  "place",
  "place.address",
  "place.street",
  "place.number",
  "place.room",
  "hours",
  "enquiry_phone",
  "supervision_phone",
  "handling_forms",
  "online_depth",
  "visits",
  "visits_reason",
  "appointment_supported",
  "online_payment_supported",
  "post_delivery_supported",
  "fees",
  "fees.charged",
  "fees.items",
  "result.name",
  "result.sample_url",
  "faq",
];

function listLength(values: Record<string, unknown>, key: string): number {
  const parts = key.split(".");
  let v: unknown = values;
  for (const p of parts) v = v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined;
  return Array.isArray(v) ? v.length : 0;
}

/** Every element path the form shows a field for, for these values (lists as long as they are). */
export function formPaths(values: Record<string, unknown>): Set<string> {
  const out = new Set(ANCHORS);
  for (const [list, fields] of Object.entries(LIST_FIELDS)) {
    for (let i = 0; i < listLength(values, list); i++) {
      out.add(`${list}[${i}]`);
      for (const f of fields) out.add(`${list}[${i}].${f}`);
    }
  }
  return out;
}

/**
 * A problem field of a draft's PUT (`body.elements.materials.0.name`) as a form field name
 * (["materials", 0, "name"]); null for anything else.
 */
export function formNameOfProblemField(field: string): FieldPath | null {
  const prefix = "body.elements.";
  if (!field.startsWith(prefix)) return null;
  const parts = field.slice(prefix.length).split(".").filter((p) => p !== "");
  if (parts.length === 0) return null;
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export const ITEM_TYPES = ["01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "20"] as const;
export const LEVELS = [1, 2, 3, 4, 5, 6, 7] as const;
export const POWER_SOURCES = ["1", "2", "3", "4", "5", "9"] as const;
export const HANDLING_TYPES = ["1", "2", "9"] as const;
export const SERVICE_OBJECTS = ["1", "2", "3", "4", "5", "6"] as const;
export const HANDLING_FORMS = ["1", "2", "3", "4"] as const;
export const ONLINE_DEPTHS = ["I", "II", "III", "IV"] as const;
export const COMMUNITY_KINDS = ["accept", "collect_forward", "enquiry_prereview"] as const;
export const LIMIT_UNITS = ["working_day", "natural_day", "hour"] as const;
export const MEDIA = ["original", "copy", "electronic"] as const;
export const PROCESS_STEPS = ["accept", "review", "decide", "complete", "deliver"] as const;
export const SPECIAL_STEPS = ["hearing", "inspection", "expert_review", "assessment", "other"] as const;
