import type { TFunction } from "i18next";

/**
 * The label of a code from a code table (item type, online depth, medium…): the catalogue's own
 * translation when it has one, else the API's Chinese label, else the code.
 */
export function codeLabel(t: TFunction, table: string, code: string | number | null | undefined, apiLabel?: string): string {
  if (code === null || code === undefined || code === "") return apiLabel ?? "—";
  return t(`codes.${table}.${String(code)}`, { defaultValue: apiLabel ?? String(code) });
}
