import type { components } from "../../api/schema";
import type { BundleApplication } from "../bundle/model";

export type Fee = components["schemas"]["intake__FeeRead"];
export type FeeLine = Fee["lines"][number];
export type Waybill = components["schemas"]["intake__WaybillRead"];
export type Reconciliation = components["schemas"]["intake__ReconciliationRead"];
export type ReconciliationRun = components["schemas"]["intake__ReconciliationRunRead"];

export type DeliveryWish = components["schemas"]["intake__DeliveryWishRead"];
export type WaybillCreate = components["schemas"]["intake__WaybillCreate"];

/** What goes in one parcel (一次寄递): one case's result, or every result of a 一件事 application. */
export type ParcelKind = "case" | "bundle";

/** An amount in fen as people read it: 2000 → "¥20.00". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(Math.trunc(fen));
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** Yuan typed in a form (12.5) as fen (1250), rounded to the fen. */
export function toFen(value: number): number {
  return Math.round(value * 100);
}

/** A 缴款码 in groups of four, as printed on a 缴款通知书 (easier to read out and type). */
export function groupCode(code: string): string {
  return code.replace(/\s+/g, "").replace(/(.{4})(?=.)/g, "$1 ");
}

/** A payment notice's fee items (收费项目), without the refunds recorded after them. */
export function feeItems(fee: Fee): FeeLine[] {
  return fee.lines.filter((l) => !l.refund_no);
}

/** The refunds recorded on a payment notice (退费记录), oldest first. */
export function feeRefunds(fee: Fee): FeeLine[] {
  return fee.lines.filter((l) => Boolean(l.refund_no));
}

/** Where a refund stands: asked for (退费中), succeeded (已退费) or failed (退费失败). */
export type RefundState = "requested" | "succeeded" | "failed";

/** A refund line's state (a line without one, recorded before states were kept, succeeded when it has its time). */
export function refundState(line: FeeLine): RefundState {
  return line.refund_status ?? (line.at ? "succeeded" : "requested");
}

/** Refunds asked for and not yet confirmed by the payment platform, in fen. */
export function refundsInFlight(fee: Fee): number {
  return feeRefunds(fee)
    .filter((r) => refundState(r) === "requested")
    .reduce((sum, r) => sum + r.amount_fen, 0);
}

/** Any refund of these notices still waiting for the payment platform. */
export function refundPending(fees: readonly Fee[]): boolean {
  return fees.some((f) => feeRefunds(f).some((r) => refundState(r) === "requested"));
}

/**
 * What is still refundable on a payment notice, in fen (nothing unless it is paid): the amount less
 * what was refunded and what is being refunded (a second request would otherwise ask for it twice).
 */
export function refundable(fee: Fee): number {
  return fee.status === "paid" ? Math.max(0, fee.amount_fen - fee.refunded_fen - refundsInFlight(fee)) : 0;
}

/** The colour of a refund's state tag. */
export function refundColour(state: RefundState): string {
  return { requested: "orange", succeeded: "green", failed: "red" }[state];
}

/** Still waiting for the applicant (or for the payment code): worth asking again soon. */
export function feePending(fees: readonly Fee[]): boolean {
  return fees.some((f) => f.status === "new" || f.status === "awaiting");
}

/** The colour of a fee's status tag. */
export function feeColour(status: Fee["status"]): string {
  return { new: "default", awaiting: "orange", paid: "green", refunded: "purple", closed: "default" }[status];
}

/** One tracking event of a waybill, as the courier reported it. */
export interface TrackingEvent {
  sequence: number;
  code: string;
  description: string;
  location: string | null;
  occurredAt: string | null;
}

/** A waybill's events (the API gives them as free objects), newest first, for a timeline. */
export function trackingEvents(waybill: Waybill): TrackingEvent[] {
  const str = (v: unknown) => (typeof v === "string" && v ? v : null);
  return waybill.events
    .map((e, i) => ({
      sequence: typeof e.sequence === "number" ? e.sequence : i + 1,
      code: str(e.code) ?? "",
      description: str(e.description) ?? str(e.code) ?? "",
      location: str(e.location),
      occurredAt: str(e.occurred_at),
    }))
    .sort((a, b) => b.sequence - a.sequence);
}

/** The waybill a posted delivery names: the latest one not cancelled, if any. */
export function currentWaybill(waybills: readonly Waybill[]): Waybill | undefined {
  return waybills.filter((w) => w.status !== "cancelled").at(-1);
}

/**
 * Who the parcel goes to, as the applicant asked when applying (领取方式 by post: recipient, phone,
 * address); what they left blank, or a wish for another mode, falls back to the applicant and their
 * phone, and the address stays for the clerk to fill in.
 */
export function postRecipient(
  wish: DeliveryWish | null | undefined,
  applicant: { name: string; phone?: string | null },
): { recipient_name: string; recipient_phone?: string; address?: string } {
  const post = wish?.mode === "post" ? wish : null;
  const text = (v: string | null | undefined) => (v && v.trim() ? v.trim() : undefined);
  return {
    recipient_name: text(post?.recipient) ?? applicant.name,
    recipient_phone: text(post?.phone) ?? text(applicant.phone),
    address: text(post?.address),
  };
}

type Application = components["schemas"]["intake__ApplicationRead"];

/** The parcel a delivery form posts, and who it goes to (prefilled from the applicant's wish). */
export interface Parcel {
  kind: ParcelKind;
  /** The case's id, or the 一件事 application's. */
  id: string;
  /** The cases whose traces record the waybill (a bundle's: all of them). */
  caseIds: string[];
  recipient: ReturnType<typeof postRecipient>;
}

/** A single case's result by post. */
export function caseParcel(app: Application): Parcel {
  return { kind: "case", id: app.id, caseIds: [app.id], recipient: postRecipient(app.delivery_wish, { name: app.applicant_name, phone: app.applicant_phone }) };
}

/**
 * Every result of a 一件事 application in one parcel: the bundle's own wish (its form's 领取方式),
 * else its first case's; the phone from the first case (the bundle does not carry the applicant's).
 */
export function bundleParcel(bundle: BundleApplication, firstCase?: Pick<Application, "delivery_wish" | "applicant_phone"> | null): Parcel {
  return {
    kind: "bundle",
    id: bundle.id,
    caseIds: bundle.cases.map((c) => c.application_id),
    recipient: postRecipient(bundle.delivery_wish ?? firstCase?.delivery_wish, { name: bundle.applicant_name, phone: firstCase?.applicant_phone }),
  };
}

/** The courier is done with it: delivered, returned or cancelled. */
export function waybillFinished(waybill: Waybill): boolean {
  return ["delivered", "returned", "cancelled"].includes(waybill.status);
}

/** The colour of a kept reconciliation's status tag. */
export function runColour(status: ReconciliationRun["status"]): string {
  return { matched: "green", mismatched: "red", failed: "orange" }[status];
}
