import { useMemo, useRef, useState } from "react";
import { Select } from "antd";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";

/** Text that reads like an implementation code (实施编码) rather than words to search for. */
const CODE_LIKE = /^[A-Za-z0-9][A-Za-z0-9_.-]{3,63}$/;

const itemQuery = (code: string) => ({
  queryKey: ["places", "item", code],
  queryFn: () => unwrap(api.GET("/api/catalog/v1/items/{code}", { params: { path: { code } } })),
  staleTime: 60 * 60_000,
  retry: false,
});

interface PickerProps {
  id?: string;
  value?: string | string[];
  onChange?: (value: string | string[] | undefined) => void;
  /** Several items (委托事项) or one. */
  multiple?: boolean;
  /** Only items this unit implements (实施主体), e.g. the entrusting unit's. */
  unit?: string;
  placeholder?: string;
  "aria-label"?: string;
}

/**
 * Catalogue items to choose from, searched as one types: by name (the catalogue's full-text search)
 * or by code (looked up directly, the search does not index codes). Chosen items keep their names.
 */
export function ItemPicker({ id, value, onChange, multiple = false, unit, placeholder, ...rest }: PickerProps) {
  const { t } = useTranslation("places");
  const [q, setQ] = useState("");
  const text = q.trim();
  const names = useRef(new Map<string, string>());
  const hits = useQuery({
    queryKey: ["places", "items", unit ?? "", text],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items", { params: { query: { q: text || undefined, unit, limit: 30 } } })),
    staleTime: 60_000,
  });
  const byCode = useQuery({ ...itemQuery(text), enabled: CODE_LIKE.test(text) });
  const chosen = value === undefined ? [] : Array.isArray(value) ? value : [value];
  // Chosen items not among the hits (the search moved on, or a form opened with them) are named too.
  const unnamed = chosen.filter((c) => !names.current.has(c));
  const looked = useQueries({ queries: unnamed.map(itemQuery) });
  const options = useMemo(() => {
    const found = [...(byCode.data ? [byCode.data] : []), ...(hits.data?.items ?? [])].filter(
      (i) => i.status === "published" && (!unit || i.owner_unit_code === unit),
    );
    for (const i of [...found, ...looked.flatMap((l) => (l.data ? [l.data] : []))]) names.current.set(i.code, `${i.name}（${i.code}）`);
    const codes = [...new Set([...chosen, ...found.map((i) => i.code)])];
    return codes.map((code) => ({ value: code, label: names.current.get(code) ?? code }));
  }, [byCode.data, hits.data, looked, chosen, unit]);
  return (
    <Select
      id={id}
      aria-label={rest["aria-label"]}
      mode={multiple ? "multiple" : undefined}
      showSearch
      allowClear
      filterOption={false}
      onSearch={setQ}
      onChange={(v: string | string[] | undefined) => onChange?.(v)}
      value={value}
      loading={hits.isFetching}
      placeholder={placeholder ?? t("items.placeholder")}
      notFoundContent={hits.isFetching ? t("items.searching") : t("items.none")}
      options={options}
    />
  );
}

/** An item's name and code from its code (the code alone until it is known, or if it is unknown). */
export function ItemName({ code }: { code: string }) {
  const item = useQuery(itemQuery(code));
  return <>{item.data ? `${item.data.name}（${code}）` : code}</>;
}
