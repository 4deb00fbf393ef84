import type { components } from "../../api/schema";

export type Slot = components["schemas"]["intake__SlotRead"];
export type Appointment = components["schemas"]["intake__AppointmentRead"];

export interface ItemChoice {
  code: string;
  name: string;
  /** Seats still free over the slots listed. */
  available: number;
}

/** The items a place has slots for, by name, with the seats still free. */
export function itemsOf(slots: readonly Slot[]): ItemChoice[] {
  const items = new Map<string, ItemChoice>();
  for (const s of slots) {
    const item = items.get(s.item_code) ?? { code: s.item_code, name: s.item_name, available: 0 };
    item.available += s.available;
    items.set(s.item_code, item);
  }
  return [...items.values()].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
}

export interface Day {
  day: string;
  slots: Slot[];
  /** Seats free that day. */
  available: number;
}

/** Slots by local day (the API's `day`), days and slots in time order. */
export function groupByDay(slots: readonly Slot[]): Day[] {
  const days = new Map<string, Slot[]>();
  for (const s of [...slots].sort((a, b) => a.starts_at.localeCompare(b.starts_at))) {
    const list = days.get(s.day) ?? [];
    list.push(s);
    days.set(s.day, list);
  }
  return [...days.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, list]) => ({ day, slots: list, available: list.reduce((n, s) => n + s.available, 0) }));
}

const clock = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "09:00–09:30" in the district's time. */
export function slotTime(slot: Pick<Slot, "starts_at" | "ends_at">): string {
  return `${clock.format(new Date(slot.starts_at))}–${clock.format(new Date(slot.ends_at))}`;
}

/** The weekday of a local date (0 Sunday … 6 Saturday), whatever the device's zone. */
export function weekday(day: string): number {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay();
}

/** A booking can be cancelled while booked and before it begins. */
export function cancellable(a: Pick<Appointment, "status" | "starts_at">, now: number = Date.now()): boolean {
  return a.status === "booked" && new Date(a.starts_at).getTime() > now;
}
