import { describe, expect, it } from "vitest";
import {
  callKey,
  daysBefore,
  minutesLeft,
  minutesWaited,
  newCall,
  percent,
  settingsBody,
  settingsValues,
  ticketActions,
  waitLight,
  windowsDropped,
  workList,
  type DisplayCall,
  type HallRead,
  type Ticket,
} from "./model";

const ticket = (over: Partial<Ticket>): Ticket => ({
  id: "t",
  ticket_no: "A001",
  place_id: "p",
  place_name: "区政务服务中心",
  day: "2026-12-03",
  category_code: "A",
  category_name: "综合受理",
  item_code: null,
  item_name: null,
  priority: false,
  channel: "kiosk",
  appointment_id: null,
  status: "waiting",
  taken_at: "2026-12-03T01:00:00Z",
  wait_limit_minutes: 20,
  waiting_ahead: 0,
  expected_wait_minutes: 0,
  window_number: null,
  window_name: null,
  called_at: null,
  last_called_at: null,
  call_count: 0,
  wait_minutes: null,
  serving_at: null,
  finished_at: null,
  ...over,
});

describe("the waiting light", () => {
  it("is green, then yellow at three quarters of the limit, red at the limit", () => {
    expect(waitLight(0, 20)).toBe("green");
    expect(waitLight(14, 20)).toBe("green");
    expect(waitLight(15, 20)).toBe("yellow");
    expect(waitLight(19, 20)).toBe("yellow");
    expect(waitLight(20, 20)).toBe("red");
    expect(waitLight(95, 20)).toBe("red");
  });

  it("turns yellow 5 minutes before a short limit", () => {
    expect(waitLight(4, 10)).toBe("green");
    expect(waitLight(5, 10)).toBe("yellow");
  });

  it("counts whole minutes since the number was taken, never negative", () => {
    const taken = "2026-12-03T01:00:00Z";
    expect(minutesWaited(taken, Date.parse(taken) + 59_000)).toBe(0);
    expect(minutesWaited(taken, Date.parse(taken) + 21 * 60_000 + 5_000)).toBe(21);
    expect(minutesWaited(taken, Date.parse(taken) - 60_000)).toBe(0);
    expect(minutesLeft(21, 20)).toBe(-1);
  });
});

describe("the clerk's work list", () => {
  it("lists the window's waiting numbers in calling order: appointments first, then the oldest", () => {
    const list = workList(
      [
        ticket({ id: "1", ticket_no: "A002", taken_at: "2026-12-03T01:05:00Z" }),
        ticket({ id: "2", ticket_no: "A001", taken_at: "2026-12-03T01:00:00Z" }),
        ticket({ id: "3", ticket_no: "A003", taken_at: "2026-12-03T01:10:00Z", priority: true, channel: "appointment" }),
        ticket({ id: "4", ticket_no: "B001", category_code: "B", taken_at: "2026-12-03T00:00:00Z" }),
        ticket({ id: "5", ticket_no: "A004", status: "called" }),
        ticket({ id: "6", ticket_no: "A005", taken_at: "2026-12-03T01:06:00Z" }),
      ],
      ["A"],
    );
    expect(list.map((t) => t.ticket_no)).toEqual(["A003", "A001", "A002", "A005"]);
  });

  it("offers the actions the ticket's status allows", () => {
    expect(ticketActions(undefined)).toEqual({ recall: false, start: false, complete: false, noShow: false });
    expect(ticketActions("called")).toEqual({ recall: true, start: true, complete: true, noShow: true });
    expect(ticketActions("serving")).toEqual({ recall: false, start: false, complete: true, noShow: false });
  });
});

describe("the hall's screen", () => {
  const call = (no: string, at: string): DisplayCall => ({ ticket_no: no, window_number: "1", window_name: "综合受理窗口1", called_at: at, recalled: false });

  it("announces a new newest call, not the calls shown when it was switched on", () => {
    const first = [call("A001", "2026-12-03T01:00:00Z")];
    expect(newCall(undefined, first)).toBeNull();
    expect(newCall(callKey(first[0]!), first)).toBeNull();
    const next = [call("A002", "2026-12-03T01:02:00Z"), ...first];
    expect(newCall(callKey(first[0]!), next)?.ticket_no).toBe("A002");
    expect(newCall(null, first)?.ticket_no).toBe("A001");
  });

  it("announces a number called again (重呼)", () => {
    const before = call("A001", "2026-12-03T01:00:00Z");
    const again = { ...call("A001", "2026-12-03T01:03:00Z"), recalled: true };
    expect(newCall(callKey(before), [again])?.ticket_no).toBe("A001");
  });
});

describe("figures", () => {
  it("shows a rate as a percentage, nothing without a sample", () => {
    expect(percent(0.125)).toBe("12.5%");
    expect(percent(1)).toBe("100.0%");
    expect(percent(0)).toBe("0.0%");
    expect(percent(null)).toBe("—");
  });

  it("counts days back across a month", () => {
    expect(daysBefore("2026-12-03", 29)).toBe("2026-11-04");
    expect(daysBefore("2026-03-01", 1)).toBe("2026-02-28");
  });
});

describe("hall settings", () => {
  const hall: HallRead = {
    place_id: "p",
    place_code: "110105-ZWFW-HALL",
    place_name: "区政务服务中心",
    configured: true,
    wait_limit_minutes: 20,
    max_waiting: 300,
    active: true,
    categories: [{ code: "A", name: "综合受理", item_codes: ["*"] }],
    windows: [
      { id: "w1", unit_code: "110105-ZWFW-W01", number: "1", name: "综合受理窗口1", category_codes: ["A"], active: true },
      { id: "w2", unit_code: "110105-ZWFW-W02", number: "2", name: "综合受理窗口2", category_codes: ["A"], active: true },
    ],
    updated_at: null,
    updated_by: null,
  };

  it("round-trips the configuration, trimming texts and leaving an empty name to the API", () => {
    const values = settingsValues(hall);
    values.categories[0]!.name = " 综合受理 ";
    values.categories[0]!.code = "a";
    values.windows[1]!.name = "  ";
    const body = settingsBody(values);
    expect(body.categories[0]).toEqual({ code: "A", name: "综合受理", item_codes: ["*"] });
    expect(body.windows[1]).toEqual({ unit_code: "110105-ZWFW-W02", number: "2", name: null, category_codes: ["A"] });
    expect(body.wait_limit_minutes).toBe(20);
  });

  it("names the windows a new configuration leaves out (they stop calling)", () => {
    const values = settingsValues(hall);
    values.windows = values.windows.slice(0, 1);
    expect(windowsDropped(hall, settingsBody(values))).toEqual(["2"]);
  });
});
