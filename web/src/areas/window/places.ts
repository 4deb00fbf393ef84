import type { components } from "../../api/schema";

type Place = components["schemas"]["intake__PlaceRead"];

/** The service places a clerk works at: their unit's, or the centre's their window belongs to (code prefix). */
export function placesFor(places: Place[], unitCode: string): Place[] {
  return places.filter((p) => p.active !== false && (unitCode === p.org_unit_code || unitCode.startsWith(`${p.org_unit_code}-`)));
}
