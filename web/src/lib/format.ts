import dayjs from "dayjs";

/** A date-time from the API in the reader's locale: 2026-12-03 14:05. */
export function formatDateTime(value: string | null | undefined): string {
  return value ? dayjs(value).format("YYYY-MM-DD HH:mm") : "—";
}

/** A calendar date from the API (YYYY-MM-DD), as is. */
export function formatDate(value: string | null | undefined): string {
  return value ? dayjs(value).format("YYYY-MM-DD") : "—";
}
