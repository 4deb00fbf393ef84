import { Link } from "react-router";
import { Empty, Skeleton } from "antd";
import { RightOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { KEYS, listBundles } from "./queries";
import "./bundle.css";

/** 一件事: life events whose items are applied for together, once. */
export default function BundlesPage() {
  const { t } = useTranslation("bundle");
  useDocumentTitle(t("list.title"));
  const bundles = useQuery({ queryKey: KEYS.bundles, queryFn: listBundles });
  return (
    <div className="page bundles">
      <h1 tabIndex={-1}>{t("list.title")}</h1>
      <p className="muted-p">{t("list.intro")}</p>
      {bundles.isPending ? <Skeleton active paragraph={{ rows: 4 }} /> : null}
      {bundles.isError ? <ErrorAlert error={bundles.error} onRetry={() => void bundles.refetch()} /> : null}
      {bundles.data && bundles.data.items.length === 0 ? <Empty description={t("list.none")} /> : null}
      <ul className="bundle-list">
        {(bundles.data?.items ?? []).map((b) => (
          <li key={b.code}>
            <Link to={`/bundles/${encodeURIComponent(b.code)}`} className="bundle-tile">
              <span className="bundle-tile-name">{b.name}</span>
              {b.description ? <span className="bundle-tile-desc">{b.description}</span> : null}
              <span className="bundle-tile-more">
                {t("list.open")} <RightOutlined aria-hidden />
              </span>
            </Link>
          </li>
        ))}
      </ul>
      <p className="muted-p">
        <Link to="/my/bundles">{t("list.mine")}</Link>
      </p>
    </div>
  );
}
