import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";

/** Query keys of a case's fees and waybills, and a day's reconciliation (personal data). */
export const FEE_KEYS = {
  fees: (id: string) => [MY, "fees", "case", id] as const,
  waybills: (id: string) => [MY, "waybills", "case", id] as const,
  reconciliation: (day: string) => [MY, "fees", "reconciliation", day] as const,
  runs: [MY, "fees", "reconciliation-runs"] as const,
};

export const getFees = (id: string) =>
  unwrap(api.GET("/api/intake/v1/applications/{application_id}/fees", { params: { path: { application_id: id } } }));

export const getWaybills = (id: string) =>
  unwrap(api.GET("/api/intake/v1/applications/{application_id}/waybills", { params: { path: { application_id: id } } }));

export const getReconciliation = (day: string) =>
  unwrap(api.GET("/api/intake/v1/fees/reconciliation", { params: { query: { day } } }));

export const getReconciliationRuns = () =>
  unwrap(api.GET("/api/intake/v1/fees/reconciliations", { params: { query: { limit: 31 } } }));

export const runReconciliation = (day: string) => unwrap(api.POST("/api/intake/v1/fees/reconciliations", { body: { day } }));
