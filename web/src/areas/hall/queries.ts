/** The hall's API calls and query keys, shared by the staff pages, the hall's screen and the kiosk. */
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import type { components } from "../../api/schema";

export type Place = components["schemas"]["intake__PlaceRead"];

export const KEYS = {
  places: ["hall", "places"] as const,
  halls: ["hall", "halls"] as const,
  display: (placeId: string) => ["hall", "display", placeId] as const,
  window: [MY, "hall", "window"] as const,
  waiting: (placeId: string) => [MY, "hall", "waiting", placeId] as const,
  config: (placeId: string) => [MY, "hall", "config", placeId] as const,
  waits: (placeId: string, from: string, to: string) => [MY, "hall", "waits", placeId, from, to] as const,
  windowUnits: [MY, "hall", "window-units"] as const,
};

/** Every service place (public), by code. */
export const listPlaces = async (): Promise<Place[]> =>
  (await unwrap(api.GET("/api/intake/v1/places", { params: { query: { limit: 200, include_inactive: true } } }))).items;

/** The hall's screen (public): recent calls, waiting per category. */
export const getDisplay = (placeId: string, last = 10) =>
  unwrap(api.GET("/api/intake/v1/places/{place_id}/queue/display", { params: { path: { place_id: placeId }, query: { last } } }));

/**
 * The places run as halls (a queue configured): each place's public screen is asked, those that
 * answer are halls. Anyone may ask (the kiosk, the evaluator), unlike the configuration.
 */
export async function listHalls(): Promise<Place[]> {
  const places = await listPlaces();
  const answers = await Promise.all(
    places.map(async (place) => {
      try {
        await getDisplay(place.id, 1);
        return place;
      } catch (error) {
        if (error instanceof ApiError && (error.status === 404 || error.status === 409)) return null;
        throw error;
      }
    }),
  );
  return answers.filter((p): p is Place => p !== null);
}
