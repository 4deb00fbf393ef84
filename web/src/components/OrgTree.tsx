import type { ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { api } from "../platform";
import { unwrap } from "../api/errors";

export { flattenOrg, type OrgNode } from "../lib/orgTree";

/** The organisation tree's query key: one fetch for every workspace, refreshed when an admin changes it. */
export const ORG_TREE_KEY = ["org-tree"] as const;

/** The organisation tree (identity-svc), shared by every select of units. */
export function useOrgTree() {
  return useQuery({
    queryKey: ORG_TREE_KEY,
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units/tree", {})),
    staleTime: 5 * 60_000,
  });
}

/** An option of a unit select (`optionRender`), indented by its `depth` in the tree. */
export function indented(option: { label?: ReactNode; data: object }) {
  const depth = (option.data as { depth?: unknown }).depth;
  return <span style={{ paddingLeft: (typeof depth === "number" ? depth : 0) * 14 }}>{option.label}</span>;
}
