import { describe, expect, it } from "vitest";
import type { BundleApplication } from "../bundle/model";
import {
  bundleParcel,
  caseParcel,
  currentWaybill,
  feeItems,
  feePending,
  feeRefunds,
  groupCode,
  postRecipient,
  refundable,
  refundPending,
  refundsInFlight,
  refundState,
  toFen,
  trackingEvents,
  waybillFinished,
  yuan,
  type Fee,
  type Waybill,
} from "./model";

const fee = (over: Partial<Fee> = {}): Fee => ({
  id: "F1",
  application_id: "A1",
  amount_fen: 2000,
  lines: [{ name: "工本费", amount_fen: 2000, refund_no: null, at: null }],
  status: "awaiting",
  payment_code: "11010526000000000018",
  pay_url: "http://pay.example/pay/O1",
  paid_at: null,
  channel: null,
  refunded_fen: 0,
  created_at: "2026-12-05T01:00:00Z",
  ...over,
});

describe("fees", () => {
  it("shows fen as yuan and reads yuan as fen", () => {
    expect(yuan(2000)).toBe("¥20.00");
    expect(yuan(5)).toBe("¥0.05");
    expect(yuan(123456)).toBe("¥1234.56");
    expect(toFen(12.5)).toBe(1250);
    expect(toFen(0.1 + 0.2)).toBe(30);
  });

  it("groups a payment code in fours", () => {
    expect(groupCode("11010526000000000018")).toBe("1101 0526 0000 0000 0018");
    expect(groupCode("123456")).toBe("1234 56");
  });

  it("tells the fee items from the refunds recorded after them", () => {
    const f = fee({
      status: "paid",
      refunded_fen: 500,
      lines: [
        { name: "工本费", amount_fen: 2000, refund_no: null, at: null },
        { name: null, amount_fen: 500, refund_no: "F1-R1", at: "2026-12-05T03:00:00Z" },
      ],
    });
    expect(feeItems(f).map((l) => l.name)).toEqual(["工本费"]);
    expect(feeRefunds(f).map((l) => l.refund_no)).toEqual(["F1-R1"]);
    expect(refundable(f)).toBe(1500);
    expect(refundable(fee())).toBe(0);
  });

  it("knows a refund asked for from one the payment platform confirmed or refused", () => {
    const asked = { name: null, amount_fen: 500, refund_no: "F1-R1", refund_status: "requested" as const, reason: "照片自备", at: null };
    const done = { ...asked, refund_no: "F1-R2", refund_status: "succeeded" as const, at: "2026-12-05T03:00:00Z" };
    const failed = { ...asked, refund_no: "F1-R3", refund_status: "failed" as const };
    expect([asked, done, failed].map(refundState)).toEqual(["requested", "succeeded", "failed"]);
    // Lines kept before refunds had a state: confirmed when they have their time.
    expect(refundState({ ...done, refund_status: null })).toBe("succeeded");
    expect(refundState({ ...asked, refund_status: undefined })).toBe("requested");

    const item = { name: "工本费", amount_fen: 2000, refund_no: null, refund_status: null, reason: null, at: null };
    const f = fee({ status: "paid", refunded_fen: 500, lines: [item, done, asked, failed] });
    expect(feeItems(f)).toEqual([item]);
    expect(refundsInFlight(f)).toBe(500);
    // 20 paid, 5 refunded, 5 being refunded: 10 left to refund; the failed one counts for nothing.
    expect(refundable(f)).toBe(1000);
    expect(refundPending([f])).toBe(true);
    expect(refundPending([fee({ status: "paid", refunded_fen: 500, lines: [item, done, failed] })])).toBe(false);
  });

  it("waits while a notice is being made or unpaid", () => {
    expect(feePending([fee()])).toBe(true);
    expect(feePending([fee({ status: "new" })])).toBe(true);
    expect(feePending([fee({ status: "paid" })])).toBe(false);
    expect(feePending([])).toBe(false);
  });
});

describe("waybills", () => {
  const waybill: Waybill = {
    waybill_no: "1100000000017",
    carrier: "中国邮政EMS",
    application_id: "A1",
    status: "in_transit",
    created_at: "2026-12-05T01:00:00Z",
    events: [
      { sequence: 1, code: "picked_up", description: "已揽收", location: "北京市朝阳区", occurred_at: "2026-12-05T01:00:20Z" },
      { sequence: 2, code: "in_transit", description: "到达北京处理中心", location: null, occurred_at: "2026-12-05T01:00:40Z" },
    ],
  };

  it("lists the newest event first", () => {
    expect(trackingEvents(waybill).map((e) => e.code)).toEqual(["in_transit", "picked_up"]);
    expect(trackingEvents(waybill)[0]?.location).toBeNull();
  });

  it("knows when the courier is done", () => {
    expect(waybillFinished(waybill)).toBe(false);
    expect(waybillFinished({ ...waybill, status: "delivered" })).toBe(true);
  });

  it("posts with the latest waybill not cancelled", () => {
    expect(currentWaybill([])).toBeUndefined();
    const first = { ...waybill, waybill_no: "W1" };
    const second = { ...waybill, waybill_no: "W2" };
    expect(currentWaybill([first, second])?.waybill_no).toBe("W2");
    expect(currentWaybill([first, { ...second, status: "cancelled" }])?.waybill_no).toBe("W1");
  });
});

describe("the parcel's recipient", () => {
  const applicant = { name: "张伟", phone: "13810000001" };

  it("takes what the applicant asked for by post", () => {
    expect(postRecipient({ mode: "post", recipient: "李娜", phone: "13900000000", address: " 朝阳区 1 号 " }, applicant)).toEqual({
      recipient_name: "李娜",
      recipient_phone: "13900000000",
      address: "朝阳区 1 号",
    });
  });

  it("falls back to the applicant, and leaves the address to the clerk without a wish for post", () => {
    expect(postRecipient({ mode: "post", recipient: " ", phone: null, address: "朝阳区 1 号" }, applicant)).toEqual({
      recipient_name: "张伟",
      recipient_phone: "13810000001",
      address: "朝阳区 1 号",
    });
    expect(postRecipient({ mode: "window", address: "朝阳区 1 号" }, applicant)).toEqual({ recipient_name: "张伟", recipient_phone: "13810000001", address: undefined });
    expect(postRecipient(null, { name: "张伟", phone: null })).toEqual({ recipient_name: "张伟", recipient_phone: undefined, address: undefined });
  });

  it("makes a case's parcel and a 一件事's one parcel for all its cases", () => {
    const app = { id: "A1", applicant_name: "张伟", applicant_phone: "13810000001", delivery_wish: { mode: "post", address: "朝阳区 1 号" } } as Parameters<typeof caseParcel>[0];
    expect(caseParcel(app)).toEqual({ kind: "case", id: "A1", caseIds: ["A1"], recipient: { recipient_name: "张伟", recipient_phone: "13810000001", address: "朝阳区 1 号" } });
    const bundle = {
      id: "B1",
      applicant_name: "王芳",
      delivery_wish: null,
      cases: [{ application_id: "A1" }, { application_id: "A2" }],
    } as unknown as BundleApplication;
    const first = { applicant_phone: "13810000003", delivery_wish: { mode: "post" as const, address: "建外街道 5 号楼", recipient: null, phone: null } };
    expect(bundleParcel(bundle, first)).toEqual({
      kind: "bundle",
      id: "B1",
      caseIds: ["A1", "A2"],
      recipient: { recipient_name: "王芳", recipient_phone: "13810000003", address: "建外街道 5 号楼" },
    });
    // The bundle's own wish comes before its first case's.
    const own = { ...bundle, delivery_wish: { mode: "post" as const, address: "永安里 101", recipient: "王芳", phone: "13810000009" } };
    expect(bundleParcel(own, first).recipient).toEqual({ recipient_name: "王芳", recipient_phone: "13810000009", address: "永安里 101" });
    expect(bundleParcel(bundle).recipient).toEqual({ recipient_name: "王芳", recipient_phone: undefined, address: undefined });
  });
});
