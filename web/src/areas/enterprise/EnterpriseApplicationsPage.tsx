import { Link } from "react-router";
import { Alert, Empty, Result, Skeleton, Tag } from "antd";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useSession } from "../../auth/useSession";
import { actingFor } from "../../auth/claims";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { statusColor } from "../../pages/applicationStatus";
import "./enterprise.css";

/** How many of the latest applications the page looks through. */
const LOOK_AT = 50;

/**
 * The applications of the enterprise acted for. intake lists what the act-for token may see — the
 * person's own applications and the enterprise's within the grant's scope — and its list lines do not
 * say for whom an application was made, so each line's record is read for its `enterprise_id`.
 */
function Applications({ enterpriseId, name }: { enterpriseId: string; name: string }) {
  const { t } = useTranslation("enterprise");
  const list = useQuery({
    queryKey: [MY, "applications", "acting", enterpriseId],
    queryFn: () => unwrap(api.GET("/api/intake/v1/applications", { params: { query: { limit: LOOK_AT } } })),
  });
  const details = useQueries({
    queries: (list.data?.items ?? []).map((app) => ({
      queryKey: [MY, "application", app.id],
      queryFn: () => unwrap(api.GET("/api/intake/v1/applications/{application_id}", { params: { path: { application_id: app.id } } })),
    })),
  });
  const loading = list.isPending || details.some((d) => d.isPending);
  const failed = details.find((d) => d.isError);
  const apps = details.flatMap((d) => (d.data && d.data.enterprise_id === enterpriseId ? [d.data] : []));

  return (
    <section aria-labelledby="ent-apps-list" aria-busy={loading}>
      <h2 id="ent-apps-list" aria-live="polite">
        {loading ? t("apps.loading") : t("apps.count", { count: apps.length, name })}
      </h2>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {failed?.error ? <ErrorAlert error={failed.error} /> : null}
      {loading ? <Skeleton active /> : null}
      {!loading && !list.isError && apps.length === 0 ? (
        <Empty description={t("apps.none")}>
          <Link to="/items">{t("apps.findItem")}</Link>
        </Empty>
      ) : null}
      {!loading && apps.length > 0 ? (
        <ul className="ent-list">
          {apps.map((app) => (
            <li key={app.id} className="ent-card">
              <div className="ent-card-head">
                <h3 className="ent-card-title">
                  <Link to={`/my/applications/${encodeURIComponent(app.id)}`}>{app.item_name}</Link>
                </h3>
                <Tag color={statusColor(app.status)}>{codeLabel(t, "status", app.status)}</Tag>
              </div>
              <dl className="ent-facts">
                <dt>{t("apps.number")}</dt>
                <dd>{app.application_no}</dd>
                <dt>{t("apps.agent")}</dt>
                <dd>{app.applicant_name}</dd>
                <dt>{t("apps.received")}</dt>
                <dd>{formatDateTime(app.received_at)}</dd>
                <dt>{t("apps.due")}</dt>
                <dd>{formatDate(app.due_on)}</dd>
              </dl>
            </li>
          ))}
        </ul>
      ) : null}
      {list.data && list.data.total > LOOK_AT ? <p className="muted-p">{t("apps.latestOnly", { count: LOOK_AT })}</p> : null}
    </section>
  );
}

function Page() {
  const { t } = useTranslation("enterprise");
  const { claims, acting } = useSession();
  const act = actingFor(claims);
  useDocumentTitle(t("apps.title"));
  if (!act || !acting) {
    return (
      <div className="page enterprise">
        <Result
          status="info"
          title={<h1 className="ent-result-title">{t("apps.notActing")}</h1>}
          subTitle={t("apps.notActingText")}
          extra={<Link to="/enterprise">{t("apps.choose")}</Link>}
        />
      </div>
    );
  }
  return (
    <div className="page enterprise">
      <h1 tabIndex={-1}>{t("apps.titleFor", { name: acting.name })}</h1>
      <Alert
        type="info"
        showIcon
        className="form-alert"
        message={act.scope.includes("*") ? t("apps.scopeAll") : t("apps.scopeItems", { items: act.scope.join("、") })}
      />
      <Applications enterpriseId={act.entity_id} name={acting.name} />
    </div>
  );
}

export default function EnterpriseApplicationsPage() {
  return (
    <RequireCitizen>
      <Page />
    </RequireCitizen>
  );
}
