import { Link, useLocation, useParams } from "react-router";
import { Alert, Breadcrumb, Descriptions, Empty, Skeleton, Tag } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ApiError } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { useApplyTexts } from "../apply/texts";
import { BundleCorrection } from "./BundleCorrection";
import { CaseStages } from "./CaseStages";
import { MyBundleTracking } from "../fees/parts";
import { bundleStatusColor } from "./model";
import { getBundleApplication, KEYS } from "./queries";
import "../apply/apply.css";
import "./bundle.css";

function View() {
  const { t } = useTranslation("bundle");
  const { id = "" } = useParams();
  const location = useLocation();
  const submitted = Boolean((location.state as { submitted?: boolean } | null)?.submitted);
  const query = useQuery({ queryKey: KEYS.one(id), queryFn: () => getBundleApplication(id) });
  const app = query.data;
  useDocumentTitle(app?.bundle_name ?? t("track.title"));
  const notFound = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 403);
  return (
    <div className="page bundle-track">
      <Breadcrumb items={[{ title: <Link to="/my/bundles">{t("mine.title")}</Link> }, { title: app?.bundle_no ?? t("track.title") }]} />
      <h1 tabIndex={-1}>{app?.bundle_name ?? t("track.title")}</h1>
      {query.isPending ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {notFound ? <Empty description={t("track.notFound")} /> : null}
      {query.isError && !notFound ? <ErrorAlert error={query.error} onRetry={() => void query.refetch()} /> : null}
      {app ? (
        <>
          {submitted && app.status === "submitted" ? (
            <Alert type="success" showIcon role="status" className="section" message={t("track.submitted", { no: app.bundle_no })} description={t("track.submittedHint", { count: app.cases.length })} />
          ) : null}
          <section className="section app-progress" aria-labelledby="bt-status">
            <h2 id="bt-status">{t("track.status")}</h2>
            <p className="bundle-status-line" aria-live="polite">
              <Tag color={bundleStatusColor(app.status)} className="bundle-status-tag">
                {codeLabel(t, "bundleStatus", app.status, app.status_name)}
              </Tag>
              {t(`track.next.${app.status}`, { due: formatDate(app.due_on), stage: app.stage ?? "" })}
            </p>
            <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2 }}>
              <Descriptions.Item label={t("track.bundleNo")}>{app.bundle_no}</Descriptions.Item>
              <Descriptions.Item label={t("track.acceptanceNo")}>
                {app.acceptance_no ? <strong>{app.acceptance_no}</strong> : <span className="muted">{t("track.notYet")}</span>}
              </Descriptions.Item>
              <Descriptions.Item label={t("track.received")}>{formatDateTime(app.received_at)}</Descriptions.Item>
              <Descriptions.Item label={t("track.due")}>{formatDate(app.due_on)}</Descriptions.Item>
              {app.delivered_at ? (
                <Descriptions.Item label={t("track.delivered")}>
                  {codeLabel(t, "deliveryMode", app.delivery_mode)} · {formatDateTime(app.delivered_at)}
                </Descriptions.Item>
              ) : null}
              {app.notice_numbers.length > 0 ? <Descriptions.Item label={t("track.notices")}>{app.notice_numbers.join("、")}</Descriptions.Item> : null}
            </Descriptions>
          </section>
          {app.problems.length > 0 ? (
            <section className="section app-correction" aria-labelledby="bt-problems">
              <h2 id="bt-problems">{app.status === "correction_requested" ? t("track.correctionTitle") : t("track.problemsTitle")}</h2>
              <Alert
                type="warning"
                showIcon
                message={app.status === "correction_requested" ? t("track.correctionHint") : t("track.problemsHint")}
                description={
                  <ul className="problems">
                    {app.problems.map((p) => (
                      <li key={`${p.material}-${p.message}`}>{p.message}</li>
                    ))}
                  </ul>
                }
              />
              {app.allowed_actions.includes("resubmit") ? <BundleCorrection app={app} /> : null}
            </section>
          ) : null}
          <section className="section" aria-labelledby="bt-cases">
            <h2 id="bt-cases">{t("track.cases")}</h2>
            <p className="muted-p">{t("track.casesHint")}</p>
            <CaseStages app={app} caseLink={(caseId) => `/my/applications/${encodeURIComponent(caseId)}`} />
          </section>
          <MyBundleTracking app={app} />
        </>
      ) : null}
    </div>
  );
}

function WithTexts() {
  const ready = useApplyTexts();
  return ready ? <View /> : <Skeleton active paragraph={{ rows: 8 }} />;
}

/** One 一件事 application: the combined status, the one acceptance number, each department's case by stage, corrections once. */
export default function BundleApplicationPage() {
  return (
    <RequireCitizen>
      <WithTexts />
    </RequireCitizen>
  );
}
