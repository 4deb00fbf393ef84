import { describe, expect, it } from "vitest";
import { cancellable, groupByDay, itemsOf, slotTime, weekday, type Slot } from "./slots";

const slot = (id: string, item: string, day: string, start: string, available = 2): Slot => ({
  id,
  place_id: "p",
  item_code: item,
  item_name: item === "A" ? "高龄津贴" : "低保",
  day,
  starts_at: `${day}T${start}:00+08:00`,
  ends_at: `${day}T${start.replace(/:00$/, ":30")}:00+08:00`,
  period: "regular",
  capacity: 3,
  booked: 3 - available,
  available,
});

describe("choosing a slot", () => {
  it("lists the items a place has slots for, with the seats free", () => {
    const items = itemsOf([slot("1", "A", "2026-12-04", "09:00"), slot("2", "B", "2026-12-04", "09:00", 0), slot("3", "A", "2026-12-05", "10:00", 1)]);
    expect(items).toEqual([
      { code: "B", name: "低保", available: 0 },
      { code: "A", name: "高龄津贴", available: 3 },
    ]);
  });

  it("groups slots by local day, in time order", () => {
    const days = groupByDay([slot("3", "A", "2026-12-05", "10:00"), slot("2", "A", "2026-12-04", "13:30", 0), slot("1", "A", "2026-12-04", "09:00")]);
    expect(days.map((d) => [d.day, d.slots.map((s) => s.id), d.available])).toEqual([
      ["2026-12-04", ["1", "2"], 2],
      ["2026-12-05", ["3"], 2],
    ]);
  });

  it("shows times and weekdays in the district's time", () => {
    expect(slotTime({ starts_at: "2026-12-04T01:00:00Z", ends_at: "2026-12-04T01:30:00Z" })).toBe("09:00–09:30");
    expect(weekday("2026-12-05")).toBe(6);
  });

  it("cancels only a booking that has not begun", () => {
    const now = Date.parse("2026-12-04T00:00:00Z");
    expect(cancellable({ status: "booked", starts_at: "2026-12-04T01:00:00Z" }, now)).toBe(true);
    expect(cancellable({ status: "booked", starts_at: "2026-12-03T01:00:00Z" }, now)).toBe(false);
    expect(cancellable({ status: "cancelled", starts_at: "2026-12-04T01:00:00Z" }, now)).toBe(false);
  });
});
