import { Link } from "react-router";
import { Empty, List, Skeleton } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { KEYS } from "./queries";
import "./bundle.css";

function Mine() {
  const { t } = useTranslation("bundle");
  useDocumentTitle(t("mine.title"));
  const list = useQuery({
    queryKey: KEYS.mine,
    queryFn: () => unwrap(api.GET("/api/intake/v1/bundle-applications", { params: { query: { limit: 100 } } })),
  });
  return (
    <div className="page">
      <h1 tabIndex={-1}>{t("mine.title")}</h1>
      <p className="muted-p bundle-mine-intro">
        {t("mine.intro")} <Link to="/bundles">{t("mine.findMore")}</Link>
      </p>
      {list.isPending ? <Skeleton active /> : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.items.length === 0 ? <Empty description={t("mine.none")} /> : null}
      {list.data && list.data.items.length > 0 ? (
        <List
          className="bundle-mine"
          dataSource={list.data.items}
          rowKey="id"
          renderItem={(b) => (
            <List.Item>
              <List.Item.Meta
                title={<Link to={`/my/bundles/${encodeURIComponent(b.id)}`}>{b.bundle_name}</Link>}
                description={[
                  t("mine.no", { no: b.bundle_no }),
                  b.acceptance_no ? t("mine.acceptanceNo", { no: b.acceptance_no }) : t("mine.notAccepted"),
                  t("mine.received", { at: formatDateTime(b.received_at) }),
                  b.delivered_at ? t("mine.delivered", { at: formatDateTime(b.delivered_at) }) : null,
                ]
                  .filter(Boolean)
                  .join(" · ")}
              />
            </List.Item>
          )}
        />
      ) : null}
    </div>
  );
}

export default function MyBundlesPage() {
  return (
    <RequireCitizen>
      <Mine />
    </RequireCitizen>
  );
}
