import type { components } from "../../api/schema";
import { materialsToSend, slotsOf, type DeliveryChoice, type GuideMaterial, type MaterialSlot, type MaterialValues } from "../apply/model";

/**
 * 一件事 (a bundle of the catalogue applied for in one submission): its merged materials as the
 * apply form's slots (each material once, however many items ask for it), the stages its items are
 * decided in, and the body intake-svc receives.
 */

export type Bundle = components["schemas"]["catalog__BundleRead"];
export type BundleMaterial = Bundle["materials"][number];
export type BundleMember = Bundle["members"][number];
export type BundleApplication = components["schemas"]["intake__BundleApplicationRead"];
export type BundleCase = BundleApplication["cases"][number];
export type BundleStatus = BundleApplication["status"];
export type BundleSubmit = components["schemas"]["intake__BundleApplicationSubmit"];

export const BUNDLE_STATUSES = [
  "submitted",
  "correction_requested",
  "in_progress",
  "ready",
  "delivered",
  "closed",
] as const satisfies readonly BundleStatus[];

const REQUIREMENT_LABEL: Record<BundleMaterial["requirement"], string> = { required: "必要", conditional: "容缺/情形" };
const MEDIUM_LABEL: Record<BundleMaterial["media"][number], string> = { original: "原件", copy: "复印件", electronic: "电子版" };

/** A merged material in the shape of a guide's, so the apply form's material input shows it. */
export function asGuideMaterial(m: BundleMaterial): GuideMaterial {
  const condition = m.needed_by.find((n) => n.condition)?.condition ?? null;
  return {
    name: m.name,
    source: m.source ?? null,
    originals: m.originals,
    copies: m.copies,
    media: m.media.map((code) => ({ code, label: MEDIUM_LABEL[code] })),
    requirement: { code: m.requirement, label: REQUIREMENT_LABEL[m.requirement] },
    condition,
    blank_form_url: null,
    sample_form_url: null,
    exempt: m.exempt,
    exempt_source: m.exempt_source ?? null,
    notes: null,
  } as GuideMaterial;
}

/** The form's material slots for the bundle's merged materials, under the conditions chosen. */
export function bundleSlots(bundle: Pick<Bundle, "materials">, chosen: readonly string[]): MaterialSlot[] {
  return slotsOf(bundle.materials.map(asGuideMaterial), chosen);
}

/** The bundle's items by stage (办理阶段): items of one stage are decided side by side. */
export function stagesOf<T extends { stage: number }>(members: T[]): { stage: number; members: T[] }[] {
  const byStage = new Map<number, T[]>();
  for (const m of members) byStage.set(m.stage, [...(byStage.get(m.stage) ?? []), m]);
  return [...byStage.entries()].sort(([a], [b]) => a - b).map(([stage, list]) => ({ stage, members: list }));
}

/** Which items need a merged material, for the line under it (“营业执照 · 食品经营许可、职工参保登记”). */
export function neededByText(m: BundleMaterial, separator = "、"): string {
  return m.needed_by.map((n) => n.item_name).join(separator);
}

/**
 * intake's body for one submission: the merged form's values (applicant fields once, each item's
 * own), the delivery wish with them, and each material once.
 */
export function bundleBody(
  bundleCode: string,
  slots: MaterialSlot[],
  values: MaterialValues,
  conditions: readonly string[],
  form: Record<string, string | undefined>,
  delivery: DeliveryChoice,
): { body: BundleSubmit; keys: string[] } {
  const { materials, keys } = materialsToSend(slots, values);
  const wish: Record<string, string> = { mode: delivery.mode };
  if (delivery.mode === "post" && delivery.address?.trim()) wish.address = delivery.address.trim();
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) if (typeof v === "string" && v.trim()) fields[k] = v.trim();
  const applying = new Set(conditions);
  return {
    body: {
      bundle_code: bundleCode,
      conditions: slots.filter((s) => s.conditional && s.needed && applying.has(s.name)).map((s) => s.name),
      form: { ...fields, delivery: wish },
      materials,
    },
    keys,
  };
}

/** A tag colour per combined status: orange when the applicant must act, green done, red closed. */
export function bundleStatusColor(status: BundleStatus): string {
  switch (status) {
    case "correction_requested":
      return "orange";
    case "ready":
    case "delivered":
      return "green";
    case "closed":
      return "red";
    default:
      return "blue";
  }
}

/** Where a case of the bundle stands for its stage: done, at its department, or waiting its turn. */
export type CaseState = "intake" | "done" | "active" | "waiting" | "stopped";

export function caseState(c: BundleCase): CaseState {
  if (c.status === "submitted" || c.status === "correction_requested") return "intake";
  if (["approved", "completed", "delivered"].includes(c.status)) return "done";
  if (["refused", "withdrawn", "acceptance_revoked", "not_accepted", "correction_expired", "revoked"].includes(c.status)) return "stopped";
  if (c.handed_over || c.status === "under_review" || c.status === "suspended") return "active";
  return "waiting";
}
