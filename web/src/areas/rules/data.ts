import { useMemo } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { useSession } from "../../auth/useSession";
import { flattenOrg, useOrgTree } from "../../components/OrgTree";
import { allPages, mayEdit, type Category, type OrgNode, type RuleKind } from "./shared";

/** Whether the signed-in account may change rules of this kind (convenience: the API decides). */
export function useMayEdit(kind: RuleKind): boolean {
  const { claims } = useSession();
  return mayEdit(kind, claims);
}

/** The hotline's request categories (诉求分类), every one, with options grouped as the catalogue groups them. */
export function useCategories() {
  const query = useQuery({
    queryKey: ["rules", "categories"],
    queryFn: () =>
      allPages((offset) => unwrap(api.GET("/api/hotline/v1/categories", { params: { query: { limit: 200, offset } } }))),
    staleTime: 10 * 60_000,
  });
  const memo = useMemo(() => {
    const items: Category[] = query.data ?? [];
    const byCode = new Map(items.map((c) => [c.code, c]));
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const c of items) groups.set(c.group_name, [...(groups.get(c.group_name) ?? []), { value: c.code, label: c.name }]);
    const options = [...groups.entries()].map(([label, opts]) => ({ label, options: opts }));
    /** A category's name, or its code while unknown. */
    const name = (code: string | null | undefined) => (code ? byCode.get(code)?.name ?? code : "");
    return { items, byCode, options, name };
  }, [query.data]);
  return { query, ...memo };
}

export interface UnitOption {
  value: string;
  label: string;
  depth: number;
  kind: OrgNode["kind"];
}

/** The organisation tree as options by code (indented by depth), and each code's name for sorting and filtering. */
export function useUnits() {
  const { t } = useTranslation("rules");
  const tree = useOrgTree();
  const memo = useMemo(() => {
    const flat = flattenOrg(tree.data?.roots ?? []);
    const units: UnitOption[] = flat.map(({ unit, depth }) => ({ value: unit.code, label: unit.name, depth, kind: unit.kind }));
    const names = new Map(units.map((u) => [u.value, u.label]));
    // A dispatch rule's area is a street or a community, or anywhere.
    const areas = [
      { value: "*", label: t("dispatch.anywhere"), depth: 0, kind: "district" as const },
      ...units.filter((u) => u.kind === "street" || u.kind === "community").map((u) => ({ ...u, depth: u.kind === "community" ? 1 : 0 })),
    ];
    /** A unit's name by code, the code while unknown ("*" is anywhere). */
    const name = (code: string) => (code === "*" ? t("dispatch.anywhere") : names.get(code) ?? code);
    return { units, areas, name };
  }, [tree.data, t]);
  return { tree, ...memo };
}

/** Active staff accounts by id, for an escalation rule that names a person (identity lets supervisors and administrators list them). */
export function useStaff(enabled: boolean) {
  const query = useQuery({
    queryKey: ["rules", "staff"],
    queryFn: () => allPages((offset) => unwrap(api.GET("/api/identity/v1/staff", { params: { query: { limit: 200, offset } } }))),
    staleTime: 10 * 60_000,
    enabled,
  });
  const memo = useMemo(() => {
    const items = (query.data ?? []).filter((s) => s.status === "active");
    const byId = new Map((query.data ?? []).map((s) => [s.id, s]));
    const options = items.map((s) => ({ value: s.id, label: `${s.name}（${s.org_unit.name}）` }));
    return { options, byId };
  }, [query.data]);
  return { query, ...memo };
}
