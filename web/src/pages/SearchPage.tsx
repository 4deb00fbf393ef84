import { useState } from "react";
import { useSearchParams } from "react-router";
import { Button, Col, Empty, Grid, Input, List, Pagination, Row, Select, Skeleton, Switch } from "antd";
import { FilterOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../platform";
import { unwrap } from "../api/errors";
import { ItemHit } from "../components/ItemHit";
import { ErrorAlert } from "../components/ErrorAlert";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { codeLabel } from "../lib/labels";
import { COMMUNITY_KINDS, ITEM_TYPES, ONLINE_DEPTHS, PAGE_SIZE, SERVICE_OBJECTS, queryFromUrl } from "./catalogQuery";
import { useFollowedState } from "../lib/useFollowedState";

/** Units that own catalogue items (实施主体): the district's departments and the streets. */
function useUnits() {
  return useQuery({
    queryKey: ["org-units", "item-owners"],
    queryFn: async () => {
      const [departments, streets] = await Promise.all(
        (["department", "street"] as const).map((kind) =>
          unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind, limit: 200 } } })),
        ),
      );
      return [...(departments?.items ?? []), ...(streets?.items ?? [])];
    },
    staleTime: 60 * 60_000,
  });
}

function Filters({ params, set }: { params: URLSearchParams; set: (name: string, value: string | null) => void }) {
  const { t } = useTranslation();
  const units = useUnits();
  const select = (name: string, label: string, options: { value: string; label: string }[], extra = {}) => (
    <div className="filter">
      <label htmlFor={`f-${name}`}>{label}</label>
      <Select
        id={`f-${name}`}
        allowClear
        placeholder={t("search.any")}
        value={params.get(name) ?? undefined}
        options={options}
        onChange={(value: string | undefined) => set(name, value ?? null)}
        style={{ width: "100%" }}
        {...extra}
      />
    </div>
  );
  return (
    <div className="filters" role="group" aria-label={t("search.filters")}>
      <div className="filter filter-switch">
        <label htmlFor="f-zero_visit">{t("search.zeroVisit")}</label>
        <Switch
          id="f-zero_visit"
          checked={params.get("zero_visit") === "true"}
          onChange={(on) => set("zero_visit", on ? "true" : null)}
        />
      </div>
      {select(
        "online_depth",
        t("search.onlineDepth"),
        ONLINE_DEPTHS.map((d) => ({ value: d, label: codeLabel(t, "onlineDepth", d) })),
      )}
      {select(
        "item_type",
        t("search.itemType"),
        ITEM_TYPES.map((c) => ({ value: c, label: codeLabel(t, "itemType", c) })),
      )}
      {select(
        "service_object",
        t("search.serviceObject"),
        SERVICE_OBJECTS.map((c) => ({ value: c, label: codeLabel(t, "serviceObject", c) })),
      )}
      {select(
        "community_kind",
        t("search.communityKind"),
        COMMUNITY_KINDS.map((c) => ({ value: c, label: codeLabel(t, "communityKind", c) })),
      )}
      {select(
        "unit",
        t("search.unit"),
        (units.data ?? []).map((u) => ({ value: u.code, label: u.name })),
        { showSearch: true, optionFilterProp: "label", loading: units.isPending },
      )}
    </div>
  );
}

export default function SearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [filtersOpen, setFiltersOpen] = useState(false);
  const query = queryFromUrl(params);
  const [text, setText] = useFollowedState(query.q ?? "");
  useDocumentTitle(query.q ? t("search.titleWith", { q: query.q }) : t("search.title"));

  const result = useQuery({
    queryKey: ["items", "search", query],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items", { params: { query } })),
    placeholderData: keepPreviousData,
  });

  /** Change one parameter; any filter change goes back to page 1. */
  const set = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value === null || value === "") next.delete(name);
    else next.set(name, value);
    if (name !== "page") next.delete("page");
    setParams(next);
  };
  const activeFilters = ["zero_visit", "online_depth", "item_type", "service_object", "community_kind", "unit"].filter((n) =>
    params.has(n),
  ).length;
  const page = Math.floor((query.offset ?? 0) / PAGE_SIZE) + 1;

  return (
    <div className="page search">
      <h1 tabIndex={-1}>{t("search.title")}</h1>
      <form role="search" onSubmit={(e) => e.preventDefault()} aria-label={t("search.title")} className="search-box">
        <label htmlFor="search-q" className="visually-hidden">
          {t("home.searchLabel")}
        </label>
        <Input.Search
          id="search-q"
          size="large"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onSearch={(value) => set("q", value.trim() || null)}
          enterButton={t("common.search")}
          placeholder={t("home.searchPlaceholder")}
          maxLength={100}
          allowClear
        />
      </form>
      <Row gutter={[24, 16]}>
        <Col xs={24} md={7} lg={6}>
          {phone ? (
            <>
              <Button
                icon={<FilterOutlined />}
                block
                aria-expanded={filtersOpen}
                aria-controls="search-filters"
                onClick={() => setFiltersOpen((o) => !o)}
              >
                {activeFilters > 0 ? t("search.filtersWithCount", { count: activeFilters }) : t("search.filters")}
              </Button>
              <div id="search-filters" hidden={!filtersOpen} className="filters-panel">
                <Filters params={params} set={set} />
              </div>
            </>
          ) : (
            <aside aria-label={t("search.filters")} className="filters-panel">
              <h2 className="filters-title">{t("search.filters")}</h2>
              <Filters params={params} set={set} />
            </aside>
          )}
        </Col>
        <Col xs={24} md={17} lg={18}>
          <section aria-labelledby="results-title" aria-busy={result.isFetching}>
            <h2 id="results-title" className="results-title" aria-live="polite">
              {result.data ? t("search.results", { count: result.data.total }) : t("search.searching")}
            </h2>
            {result.isError ? <ErrorAlert error={result.error} onRetry={() => void result.refetch()} /> : null}
            {result.isPending ? <Skeleton active paragraph={{ rows: 6 }} /> : null}
            {result.data && result.data.total === 0 ? (
              <Empty description={t("search.none")}>
                {activeFilters > 0 || query.q ? <Button onClick={() => setParams(new URLSearchParams())}>{t("search.clear")}</Button> : null}
              </Empty>
            ) : null}
            {result.data && result.data.total > 0 ? (
              <>
                <List
                  className="results"
                  dataSource={result.data.items}
                  rowKey="code"
                  renderItem={(item) => (
                    <List.Item>
                      <ItemHit item={item} />
                    </List.Item>
                  )}
                />
                <Pagination
                  className="pager"
                  current={page}
                  pageSize={PAGE_SIZE}
                  total={result.data.total}
                  showSizeChanger={false}
                  hideOnSinglePage
                  simple={phone}
                  onChange={(p) => set("page", p === 1 ? null : String(p))}
                />
                <p className="muted-p results-note">
                  {query.q ? t("search.rankedNote") : null}
                </p>
              </>
            ) : null}
          </section>
        </Col>
      </Row>
    </div>
  );
}
