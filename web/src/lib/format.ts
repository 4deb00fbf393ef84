/** Times are shown in the district's time, whatever the reader's device is set to. */
const DISTRICT_TIME_ZONE = "Asia/Shanghai";

const dateTimeParts = new Intl.DateTimeFormat("en-CA", {
  timeZone: DISTRICT_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** A date-time from the API (ISO 8601 with a zone) as 2026-12-03 14:05, district time. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const part = Object.fromEntries(dateTimeParts.formatToParts(date).map((p) => [p.type, p.value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
}

/** A calendar date from the API (YYYY-MM-DD, already the district's day), as is. */
export function formatDate(value: string | null | undefined): string {
  return value ? value.slice(0, 10) : "—";
}
