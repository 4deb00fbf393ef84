import { describe, expect, it } from "vitest";
import { feeItems, feePending, feeRefunds, groupCode, refundable, toFen, trackingEvents, waybillFinished, yuan, type Fee, type Waybill } from "./model";

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
});
