import { Link, useNavigate } from "react-router";
import { Col, Input, Row, Skeleton } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../platform";
import { unwrap } from "../api/errors";
import { ItemHit } from "../components/ItemHit";
import { ErrorAlert } from "../components/ErrorAlert";
import { useDocumentTitle } from "../lib/useDocumentTitle";

const SHORTCUTS = [
  { key: "zeroVisit", search: "zero_visit=true" },
  { key: "fullyOnline", search: "online_depth=IV" },
  { key: "forPersons", search: "service_object=1" },
  { key: "forEnterprises", search: "service_object=2" },
  { key: "publicServices", search: "item_type=20" },
  { key: "community", search: "community_kind=accept" },
] as const;

export default function HomePage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  useDocumentTitle(undefined);
  // The catalogue has no popularity figures in its API; the home page shows the items a person can
  // finish without going anywhere (零跑动), which is what most visitors look for first.
  const zeroVisit = useQuery({
    queryKey: ["items", "home-zero-visit"],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items", { params: { query: { zero_visit: true, limit: 8 } } })),
  });

  return (
    <div className="page home">
      <section className="hero" aria-labelledby="home-title">
        <h1 id="home-title" className="hero-title" tabIndex={-1}>
          {t("home.title")}
        </h1>
        <p className="hero-subtitle">{t("home.subtitle")}</p>
        <form
          role="search"
          className="hero-search"
          onSubmit={(e) => e.preventDefault()}
          aria-label={t("home.searchLabel")}
        >
          <label htmlFor="home-q" className="visually-hidden">
            {t("home.searchLabel")}
          </label>
          <Input.Search
            id="home-q"
            size="large"
            enterButton={t("common.search")}
            placeholder={t("home.searchPlaceholder")}
            maxLength={100}
            allowClear
            onSearch={(value) => {
              const q = value.trim();
              navigate(q ? `/items?q=${encodeURIComponent(q)}` : "/items");
            }}
          />
        </form>
      </section>

      <section aria-labelledby="home-shortcuts" className="section">
        <h2 id="home-shortcuts">{t("home.shortcuts")}</h2>
        <Row gutter={[12, 12]}>
          {SHORTCUTS.map((s) => (
            <Col key={s.key} xs={12} sm={8} lg={4}>
              <Link className="shortcut" to={`/items?${s.search}`}>
                <span className="shortcut-title">{t(`home.shortcut.${s.key}`)}</span>
                <span className="shortcut-hint">{t(`home.shortcutHint.${s.key}`)}</span>
              </Link>
            </Col>
          ))}
        </Row>
      </section>

      <section aria-labelledby="home-zero" className="section">
        <div className="section-head">
          <h2 id="home-zero">{t("home.zeroVisitTitle")}</h2>
          <Link to="/items?zero_visit=true">
            {t("home.more")}
            {zeroVisit.data ? t("home.moreCount", { count: zeroVisit.data.total }) : ""}
          </Link>
        </div>
        <p className="muted-p">{t("home.zeroVisitHint")}</p>
        {zeroVisit.isPending ? <Skeleton active /> : null}
        {zeroVisit.isError ? <ErrorAlert error={zeroVisit.error} onRetry={() => void zeroVisit.refetch()} /> : null}
        {zeroVisit.data ? (
          zeroVisit.data.items.length === 0 ? (
            <p>{t("home.noZeroVisit")}</p>
          ) : (
            <Row gutter={[12, 12]}>
              {zeroVisit.data.items.map((item) => (
                <Col key={item.code} xs={24} md={12}>
                  <div className="item-card">
                    <ItemHit item={item} />
                  </div>
                </Col>
              ))}
            </Row>
          )
        ) : null}
      </section>
    </div>
  );
}
