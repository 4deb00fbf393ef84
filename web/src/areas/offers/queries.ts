import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";

export type Offer = components["schemas"]["intake__OfferRead"];
export type OfferStatus = Offer["status"];
export type DeliveryWish = components["schemas"]["intake__OfferConfirm"]["delivery"];

/** Query keys of 免申即享 offers (personal: dropped when the session ends). */
export const OFFER_KEYS = {
  all: [MY, "offers"] as const,
  list: (status: string) => [MY, "offers", "list", status] as const,
  waiting: [MY, "offers", "waiting"] as const,
};

export const listOffers = (status?: OfferStatus, limit = 50) =>
  unwrap(api.GET("/api/intake/v1/offers", { params: { query: { status, limit } } }));

export const confirmOffer = (id: string, delivery: DeliveryWish) =>
  unwrap(api.POST("/api/intake/v1/offers/{offer_id}/confirm", { params: { path: { offer_id: id } }, body: { delivery } }));

export const declineOffer = (id: string) => unwrap(api.POST("/api/intake/v1/offers/{offer_id}/decline", { params: { path: { offer_id: id } } }));

/** The colour of an offer's status tag. */
export function offerColour(status: OfferStatus): string {
  return { offered: "orange", confirmed: "green", declined: "default", expired: "default" }[status];
}
