import { Link, useSearchParams } from "react-router";
import { Button, Empty, Input, Skeleton, Tag } from "antd";
import { LeftOutlined, RightOutlined, SearchOutlined } from "@ant-design/icons";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { PAGE_SIZE, queryFromUrl } from "../../pages/catalogQuery";
import { useFollowedState } from "../../lib/useFollowedState";

/** The catalogue search on the kiosk: one big field, big result cards, big page buttons. */
export default function KioskSearch() {
  const { t } = useTranslation("kiosk");
  const [params, setParams] = useSearchParams();
  const query = queryFromUrl(params);
  const [text, setText] = useFollowedState(query.q ?? "");
  useDocumentTitle(t("searchTitle"));
  const result = useQuery({
    queryKey: ["items", "search", query],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items", { params: { query } })),
    placeholderData: keepPreviousData,
  });
  const page = Math.floor((query.offset ?? 0) / PAGE_SIZE) + 1;
  const pages = result.data ? Math.max(1, Math.ceil(result.data.total / PAGE_SIZE)) : 1;
  const go = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete("page");
    else next.set("page", String(p));
    setParams(next);
  };
  const filtered = ["zero_visit", "service_object", "online_depth", "item_type", "community_kind", "unit"].some((n) => params.has(n));

  return (
    <div className="kiosk-page">
      <h1 tabIndex={-1}>{t("searchTitle")}</h1>
      <form
        role="search"
        aria-label={t("searchTitle")}
        className="kiosk-search"
        onSubmit={(e) => {
          e.preventDefault();
          const next = new URLSearchParams(params);
          const value = text.trim();
          if (value) next.set("q", value);
          else next.delete("q");
          next.delete("page");
          setParams(next);
        }}
      >
        <label htmlFor="kiosk-search-q" className="visually-hidden">
          {t("searchLabel")}
        </label>
        <Input id="kiosk-search-q" size="large" value={text} onChange={(e) => setText(e.target.value)} placeholder={t("searchPlaceholder")} maxLength={100} />
        <Button type="primary" htmlType="submit" size="large" className="kiosk-button" icon={<SearchOutlined aria-hidden />}>
          {t("searchButton")}
        </Button>
      </form>
      {filtered ? (
        <p>
          <Button size="large" className="kiosk-button" onClick={() => setParams(query.q ? new URLSearchParams({ q: query.q }) : new URLSearchParams())}>
            {t("clearFilters")}
          </Button>
        </p>
      ) : null}
      <section aria-labelledby="kiosk-results" aria-busy={result.isFetching}>
        <h2 id="kiosk-results" aria-live="polite">
          {result.data ? t("results", { count: result.data.total }) : t("searching")}
        </h2>
        {result.isError ? <ErrorAlert error={result.error} onRetry={() => void result.refetch()} /> : null}
        {result.isPending ? <Skeleton active paragraph={{ rows: 6 }} /> : null}
        {result.data && result.data.total === 0 ? <Empty description={t("none")} /> : null}
        {result.data && result.data.total > 0 ? (
          <ul className="kiosk-results">
            {result.data.items.map((item) => (
              <li key={item.code}>
                <Link to={`/kiosk/items/${encodeURIComponent(item.code)}`} className="kiosk-result">
                  <span className="kiosk-result-name">{item.name}</span>
                  <span className="kiosk-result-unit">{item.owner_unit_name}</span>
                  <span className="kiosk-result-tags">
                    <Tag>{codeLabel(t, "itemType", item.item_type)}</Tag>
                    {item.visits === 0 ? <Tag color="green">{t("zeroVisit")}</Tag> : null}
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : null}
        {result.data && pages > 1 ? (
          <nav className="kiosk-pager" aria-label={t("pages")}>
            <Button size="large" className="kiosk-button" icon={<LeftOutlined aria-hidden />} disabled={page <= 1} onClick={() => go(page - 1)}>
              {t("previous")}
            </Button>
            <span>{t("pageOf", { page, pages })}</span>
            <Button size="large" className="kiosk-button" disabled={page >= pages} onClick={() => go(page + 1)}>
              {t("next")} <RightOutlined aria-hidden />
            </Button>
          </nav>
        ) : null}
      </section>
    </div>
  );
}
