import { useQueries, useQuery } from "@tanstack/react-query";
import { api } from "../platform";
import { unwrap } from "../api/errors";

/** How a unit's name is fetched by its code: cached for an hour, not retried (the code stands in). */
function unitQuery(code: string) {
  return {
    queryKey: ["org-unit", code],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units/{ref}", { params: { path: { ref: code } } })),
    staleTime: 60 * 60_000,
    retry: false,
  };
}

/** A unit's name (a window, a service centre, a department) from its code; the code until it is
 * known, or if identity-svc does not answer. */
export function UnitName({ code }: { code: string }) {
  const unit = useQuery(unitQuery(code));
  return <>{unit.data?.name ?? code}</>;
}

/** The names of some units by code (a code stands for its name until it is known), for chart labels. */
export function useUnitNames(codes: string[]): Record<string, string> {
  const found = useQueries({ queries: codes.map(unitQuery) });
  return Object.fromEntries(codes.map((code, i) => [code, found[i]?.data?.name ?? code]));
}
