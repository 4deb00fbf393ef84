import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import type { ParcelKind, WaybillCreate } from "./model";

/** Query keys of a case's fees and waybills, and a day's reconciliation (personal data). */
export const FEE_KEYS = {
  fees: (id: string) => [MY, "fees", "case", id] as const,
  waybills: (id: string) => [MY, "waybills", "case", id] as const,
  /** A 一件事 application's parcel (its cases' waybill lists show it too). */
  bundleWaybills: (id: string) => [MY, "waybills", "bundle", id] as const,
  allWaybills: [MY, "waybills"] as const,
  reconciliation: (day: string) => [MY, "fees", "reconciliation", day] as const,
  runs: [MY, "fees", "reconciliation-runs"] as const,
};

export const getFees = (id: string) =>
  unwrap(api.GET("/api/intake/v1/applications/{application_id}/fees", { params: { path: { application_id: id } } }));

export const getWaybills = (id: string) =>
  unwrap(api.GET("/api/intake/v1/applications/{application_id}/waybills", { params: { path: { application_id: id } } }));

export const getBundleWaybills = (id: string) =>
  unwrap(
    api.GET("/api/intake/v1/bundle-applications/{bundle_application_id}/waybills", { params: { path: { bundle_application_id: id } } }),
  );

/** The waybills of a case or of a 一件事 application. */
export const parcelWaybills = (kind: ParcelKind, id: string) => (kind === "case" ? getWaybills(id) : getBundleWaybills(id));

export const parcelWaybillsKey = (kind: ParcelKind, id: string) => (kind === "case" ? FEE_KEYS.waybills(id) : FEE_KEYS.bundleWaybills(id));

/** Order the courier's pickup (寄递下单) for a case's result or for every result of a 一件事 (one parcel). */
export const createWaybill = (kind: ParcelKind, id: string, body: WaybillCreate) =>
  kind === "case"
    ? unwrap(api.POST("/api/intake/v1/applications/{application_id}/waybills", { params: { path: { application_id: id } }, body }))
    : unwrap(
        api.POST("/api/intake/v1/bundle-applications/{bundle_application_id}/waybills", {
          params: { path: { bundle_application_id: id } },
          body,
        }),
      );

export const getReconciliation = (day: string) =>
  unwrap(api.GET("/api/intake/v1/fees/reconciliation", { params: { query: { day } } }));

export const getReconciliationRuns = () =>
  unwrap(api.GET("/api/intake/v1/fees/reconciliations", { params: { query: { limit: 31 } } }));

export const runReconciliation = (day: string) => unwrap(api.POST("/api/intake/v1/fees/reconciliations", { body: { day } }));
