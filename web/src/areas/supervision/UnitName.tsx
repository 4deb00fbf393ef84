import { useQueries, useQuery } from "@tanstack/react-query";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";

/** A unit's name from its code (the code until it is known). */
export function UnitName({ code }: { code: string }) {
  const unit = useQuery({
    queryKey: ["org-unit", code],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units/{ref}", { params: { path: { ref: code } } })),
    staleTime: 60 * 60_000,
    retry: false,
  });
  return <>{unit.data?.name ?? code}</>;
}

/** The names of some units by code (a code stands for its name until it is known), for chart labels. */
export function useUnitNames(codes: string[]): Record<string, string> {
  const found = useQueries({
    queries: codes.map((code) => ({
      queryKey: ["org-unit", code],
      queryFn: () => unwrap(api.GET("/api/identity/v1/org-units/{ref}", { params: { path: { ref: code } } })),
      staleTime: 60 * 60_000,
      retry: false,
    })),
  });
  return Object.fromEntries(codes.map((code, i) => [code, found[i]?.data?.name ?? code]));
}
