import { useQuery } from "@tanstack/react-query";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";

/** A unit's name from its code (the code until it is known, or if identity-svc does not answer). */
export function UnitName({ code }: { code: string }) {
  const unit = useQuery({
    queryKey: ["org-unit", code],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units/{ref}", { params: { path: { ref: code } } })),
    staleTime: 60 * 60_000,
    retry: false,
  });
  return <>{unit.data?.name ?? code}</>;
}
