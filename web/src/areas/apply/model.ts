import type { components } from "../../api/schema";

/**
 * The apply form as the item's materials make it: which materials are asked for (exempt ones never,
 * conditional ones only when the applicant says their condition applies), how each is handed in
 * (uploaded when the item accepts an electronic copy, otherwise on paper at acceptance), what is
 * still missing, and the body intake-svc receives. intake runs the same completeness check
 * (services/completeness.py); doing it here lets a person see every gap at once before submitting.
 */

export type GuideMaterial = components["schemas"]["catalog__GuideMaterialRead"];
export type Guide = components["schemas"]["catalog__GuideRead"];
type MaterialSubmit = components["schemas"]["intake__MaterialSubmit"];
type Medium = NonNullable<MaterialSubmit["media"]>[number];
export type ApplicationSubmit = components["schemas"]["intake__ApplicationSubmit"];
export type ApplicationResubmit = components["schemas"]["intake__ApplicationResubmit"];
export type DeliveryMode = components["schemas"]["intake__ApplicationDeliver"]["mode"];
export type MaterialProblem = components["schemas"]["intake__MaterialProblemRead"];

export const DELIVERY_MODES = ["window", "post", "locker"] as const satisfies readonly DeliveryMode[];

/** exempt 免提交 (shared or looked up), upload 上传电子版, paper 纸质材料 (checked at acceptance). */
export type Provision = "exempt" | "upload" | "paper";

export interface MaterialSlot {
  /** The form field's key (the material's place in the item's list). */
  key: string;
  name: string;
  provision: Provision;
  /** Asked for now: required, or conditional with its condition chosen; never when exempt. */
  needed: boolean;
  conditional: boolean;
  condition: string | null;
  originals: number;
  copies: number;
  material: GuideMaterial;
  /** Not asked for: the applicant signed the item's commitment (告知承诺) in its place. */
  committed?: boolean;
}

/** What the applicant gave for one material. */
export interface MaterialValue {
  file?: { id: string; name: string; size: number };
  /** Confirmed: the paper originals/copies will be handed in. */
  paper?: boolean;
}

export type MaterialValues = Record<string, MaterialValue | undefined>;

const mediaOf = (m: GuideMaterial): string[] => m.media.map((x) => String(x.code));

export function provisionOf(m: GuideMaterial): Provision {
  if (m.exempt) return "exempt";
  return mediaOf(m).includes("electronic") ? "upload" : "paper";
}

/** Can a person apply for this item here, online? Online depth III/IV, or web/mobile handling. */
export function canApplyOnline(guide: Pick<Guide, "online_depth" | "handling_forms">): boolean {
  const depth = guide.online_depth ? String(guide.online_depth.code) : "";
  if (depth === "III" || depth === "IV") return true;
  return guide.handling_forms.some((f) => String(f.code) === "2" || String(f.code) === "3");
}

/** The conditions an applicant may declare (适用情形): conditional materials that are not exempt. */
export function conditionsOf(materials: GuideMaterial[]): { name: string; condition: string }[] {
  return materials
    .filter((m) => m.requirement.code === "conditional" && !m.exempt)
    .map((m) => ({ name: m.name, condition: m.condition || m.name }));
}

export function slotsOf(materials: GuideMaterial[], chosenConditions: readonly string[]): MaterialSlot[] {
  const chosen = new Set(chosenConditions);
  return materials.map((m, i) => {
    const provision = provisionOf(m);
    const conditional = m.requirement.code === "conditional";
    return {
      key: `m${i}`,
      name: m.name,
      provision,
      needed: provision !== "exempt" && (!conditional || chosen.has(m.name)),
      conditional,
      condition: m.condition,
      originals: m.originals,
      copies: m.copies,
      material: m,
    };
  });
}

/**
 * 告知承诺: once the applicant signs the item's commitment, the materials it replaces are not asked
 * for (intake takes the signature in their place); unsigned, they are asked for as usual.
 */
export function withCommitment(slots: MaterialSlot[], replaces: readonly string[], signed: boolean): MaterialSlot[] {
  if (!signed || replaces.length === 0) return slots;
  const replaced = new Set(replaces);
  return slots.map((s) => (replaced.has(s.name) && s.provision !== "exempt" ? { ...s, needed: false, committed: true } : s));
}

/** Is this slot's material given? An upload needs its file; paper needs the applicant's confirmation. */
export function isProvided(slot: MaterialSlot, value: MaterialValue | undefined): boolean {
  if (slot.provision === "upload") return Boolean(value?.file);
  if (slot.provision === "paper") return Boolean(value?.paper);
  return true;
}

/** Every material still missing, all at once, in the item's order. */
export function missingSlots(slots: MaterialSlot[], values: MaterialValues): MaterialSlot[] {
  return slots.filter((s) => s.needed && !isProvided(s, values[s.key]));
}

function paperMedia(slot: MaterialSlot): Medium[] {
  const media: Medium[] = [];
  if (slot.originals > 0) media.push("original");
  if (slot.copies > 0) media.push("copy");
  if (media.length === 0) media.push("original");
  return media;
}

/** The materials to send and, for each position in that list, the slot it came from (to show a problem on `body.materials.<i>` under its field). */
export function materialsToSend(slots: MaterialSlot[], values: MaterialValues): { materials: MaterialSubmit[]; keys: string[] } {
  const materials: MaterialSubmit[] = [];
  const keys: string[] = [];
  for (const slot of slots) {
    if (!slot.needed) continue;
    const value = values[slot.key];
    if (slot.provision === "upload" && value?.file) {
      materials.push({ name: slot.name, provided_as: "upload", file_id: value.file.id, media: ["electronic"], originals: 0, copies: 0 });
    } else if (slot.provision === "paper" && value?.paper) {
      materials.push({
        name: slot.name,
        provided_as: "paper",
        media: paperMedia(slot),
        originals: slot.originals,
        copies: slot.copies,
      });
    } else {
      continue;
    }
    keys.push(slot.key);
  }
  return { materials, keys };
}

export interface DeliveryChoice {
  mode: DeliveryMode;
  address?: string;
  recipient?: string;
  phone?: string;
}

/** The delivery modes offered for an item: window always, post when the item supports it, locker. */
export function deliveryModesFor(guide: Pick<Guide, "post_delivery_supported">): DeliveryMode[] {
  return DELIVERY_MODES.filter((m) => m !== "post" || guide.post_delivery_supported);
}

/**
 * intake's submission body. The delivery choice travels in the application form (申请表) fields:
 * intake takes the delivery mode only when staff deliver, so the applicant's wish is recorded with
 * the form for them to follow.
 */
export function submissionBody(
  itemCode: string,
  slots: MaterialSlot[],
  values: MaterialValues,
  conditions: readonly string[],
  delivery: DeliveryChoice,
): { body: ApplicationSubmit; keys: string[] } {
  const { materials, keys } = materialsToSend(slots, values);
  const wish: Record<string, string> = { mode: delivery.mode };
  if (delivery.mode === "post") {
    if (delivery.address?.trim()) wish.address = delivery.address.trim();
    if (delivery.recipient?.trim()) wish.recipient = delivery.recipient.trim();
    if (delivery.phone?.trim()) wish.phone = delivery.phone.trim();
  }
  const applying = new Set(conditions);
  return {
    body: {
      item_code: itemCode,
      conditions: slots.filter((s) => s.conditional && s.needed && applying.has(s.name)).map((s) => s.name),
      form: { delivery: wish },
      materials,
    },
    keys,
  };
}

/**
 * The slots a one-time notice asks to correct: one per material it names (several problems with one
 * material are one correction), in the notice's order, handed in as the item says. A material the
 * item does not list (a problem the clerk typed) is corrected by upload.
 */
export function correctionSlots(problems: MaterialProblem[], materials: GuideMaterial[]): MaterialSlot[] {
  const byName = new Map(materials.map((m, i) => [m.name, { m, i }]));
  const seen = new Set<string>();
  const slots: MaterialSlot[] = [];
  for (const p of problems) {
    if (seen.has(p.material)) continue;
    seen.add(p.material);
    const found = byName.get(p.material);
    const material: GuideMaterial = found?.m ?? {
      name: p.material,
      source: null,
      originals: 0,
      copies: 0,
      media: [{ code: "electronic", label: "电子版" }],
      requirement: { code: "required", label: "必要" },
      condition: null,
      blank_form_url: null,
      sample_form_url: null,
      exempt: false,
      exempt_source: null,
      notes: null,
    };
    // A material the notice asks for is never exempt for this applicant, whatever it was declared as.
    const provision = provisionOf({ ...material, exempt: false });
    slots.push({
      key: `c${slots.length}`,
      name: p.material,
      provision,
      needed: true,
      conditional: material.requirement.code === "conditional",
      condition: material.condition,
      originals: material.originals,
      copies: material.copies,
      material,
    });
  }
  return slots;
}

/** Problems grouped by material name, for showing each material's problems next to it. */
export function problemsByMaterial(problems: MaterialProblem[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of problems) map.set(p.material, [...(map.get(p.material) ?? []), p.message]);
  return map;
}

/** API field paths (`body.materials.3.file_id`) → form paths, for the materials sent in `keys` order. */
export function materialAliases(keys: string[]): Record<string, (string | number)[]> {
  const aliases: Record<string, (string | number)[]> = {};
  keys.forEach((key, i) => {
    for (const suffix of ["", ".name", ".file_id", ".provided_as", ".media", ".originals", ".copies", ".licence_no"]) {
      aliases[`body.materials.${i}${suffix}`] = ["materials", key];
    }
  });
  return aliases;
}

type TraceEntry = components["schemas"]["intake__TraceEntryRead"];

function isProblem(value: unknown): value is MaterialProblem {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.material === "string" && typeof v.problem === "string" && typeof v.message === "string";
}

/**
 * What the latest one-time notice asks for, as the case's trace recorded it when the notice was
 * issued (`notice_issued` with `data.problems`): the completeness check's findings and the clerk's
 * own (e.g. 须本人签字). The application's `problems` are only the check's current findings, so a
 * notice about something the check cannot see would otherwise leave the applicant with nothing to do.
 */
export function noticeProblems(entries: TraceEntry[]): MaterialProblem[] | null {
  const latest = [...entries].reverse().find((e) => e.action === "notice_issued");
  const problems = latest?.data.problems;
  if (!Array.isArray(problems)) return null;
  return problems.filter(isProblem).map((p) => ({ material: p.material, problem: p.problem, message: p.message }));
}
