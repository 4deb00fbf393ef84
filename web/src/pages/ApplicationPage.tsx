import { useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Descriptions, Empty, List, Popconfirm, Skeleton, Tag, Timeline } from "antd";
import { FileTextOutlined, PrinterOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
import type { components } from "../api/schema";
import { api, MY } from "../platform";
import { ApiError, unwrap } from "../api/errors";
import { ErrorAlert, useErrorText } from "../components/ErrorAlert";
import { RequireCitizen } from "../components/RequireCitizen";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { codeLabel } from "../lib/labels";
import { formatDate, formatDateTime } from "../lib/format";
import { historyActor, progressOf, STAGES, statusColor } from "./applicationStatus";
import { useSession } from "../auth/useSession";
// The apply area's correction form and texts; this page is its own lazy chunk, never common code.
import { CorrectionForm } from "../areas/apply/CorrectionForm";
import { noticeProblems, type MaterialProblem } from "../areas/apply/model";
import { useApplyTexts } from "../areas/apply/texts";
import { CommitmentSigned } from "../areas/apply/Commitment";
import { MyFees, MyTracking } from "../areas/fees/parts";
import "../areas/apply/apply.css";
import { CaseMaterialsCard } from "../areas/licence/CaseMaterials";

type Application = components["schemas"]["intake__ApplicationRead"];
type Notice = NonNullable<Application["notices"]>[number];
const TRACE_LIMIT = 200;
const BY = { you: "track.byYou", system: "track.bySystem", staff: "track.byStaff" } as const;
/** Notices a person prints or keeps (受理通知书 and the decisions), shown as buttons with the progress. */
const KEY_NOTICES: Notice["kind"][] = ["acceptance", "approval", "refusal", "non_acceptance", "revocation", "correction_expired", "decision_revocation"];

/**
 * Open a notice (告知书, 受理通知书, 决定书) for reading and printing. It needs the bearer token, so
 * a plain link cannot open it: fetch it and show it from a blob URL in a new tab.
 */
function NoticeLink({ applicationId, notice, print }: { applicationId: string; notice: Notice; print?: boolean }) {
  const { t } = useTranslation("apply");
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const open = async () => {
    setBusy(true);
    setError(null);
    // Open the tab now (inside the click) so pop-up blockers allow it; fill it when the text arrives.
    const tab = window.open("", "_blank");
    try {
      const html = await unwrap(
        api.GET("/api/intake/v1/applications/{application_id}/notices/{notice_id}", {
          params: { path: { application_id: applicationId, notice_id: notice.id } },
          parseAs: "text",
        }),
      );
      // Its stylesheet links are site-relative; a blob document needs the site as its base.
      const withBase = String(html).replace(/<head>/i, `<head><base href="${window.location.origin}/">`);
      const url = URL.createObjectURL(new Blob([withBase], { type: "text/html;charset=utf-8" }));
      if (tab) tab.location.href = url;
      else window.location.href = url;
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      tab?.close();
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {print ? (
        <Button icon={<PrinterOutlined aria-hidden />} loading={busy} onClick={() => void open()}>
          {t("track.printNotice", { kind: codeLabel(t, "noticeKind", notice.kind) })}
        </Button>
      ) : (
        <Button type="link" icon={<FileTextOutlined aria-hidden />} loading={busy} onClick={() => void open()} className="notice-link">
          {codeLabel(t, "noticeKind", notice.kind)} {notice.number}
        </Button>
      )}
      {error ? <span className="error-text" role="alert">{error}</span> : null}
    </>
  );
}

function limitText(t: TFunction, app: Application): string {
  if (app.promised_limit_days === null || app.promised_limit_days === undefined) return "—";
  return t("guide.limitValue", { value: app.promised_limit_days, unit: codeLabel(t, "limitUnit", app.limit_unit) });
}

/** The progress bar, what happens next, and the notices to print. */
function Progress({ app }: { app: Application }) {
  const { t } = useTranslation("apply");
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [withdrawError, setWithdrawError] = useState<string | null>(null);
  const progress = progressOf(app.status);
  const keyNotices = (app.notices ?? []).filter((n) => KEY_NOTICES.includes(n.kind));
  const withdraw = async () => {
    setWithdrawError(null);
    try {
      const updated = await unwrap(
        api.POST("/api/intake/v1/applications/{application_id}/withdraw", { params: { path: { application_id: app.id } }, body: {} }),
      );
      queryClient.setQueryData([MY, "application", app.id], updated);
      await queryClient.invalidateQueries({ queryKey: [MY, "application", app.id, "trace"] });
      await queryClient.invalidateQueries({ queryKey: [MY, "applications"] });
    } catch (e) {
      setWithdrawError(errorText(e));
    }
  };
  return (
    <section className="section app-progress" aria-labelledby="a-progress">
      <h2 id="a-progress">{t("track.progress")}</h2>
      <ol className={`app-steps app-steps-${progress.state}`}>
        {STAGES.map((stage, i) => {
          const state = i < progress.current ? "done" : i === progress.current ? "current" : "todo";
          return (
            <li key={stage} className={`app-step app-step-${state}`} aria-current={state === "current" ? "step" : undefined}>
              <span className="app-step-dot" aria-hidden>
                {state === "done" ? "✓" : i + 1}
              </span>
              <span className="app-step-title">{t(`track.stage.${stage}`)}</span>
              {state === "done" ? <span className="visually-hidden">{t("track.stepDone")}</span> : null}
            </li>
          );
        })}
      </ol>
      <p className="app-next" aria-live="polite">
        <Tag color={statusColor(app.status)}>{codeLabel(t, "status", app.status, app.status_name)}</Tag>
        {t(`track.next.${app.status}`, {
          notice: formatDate(app.notice_due_on),
          due: formatDate(app.due_on),
          deadline: formatDate(app.correction_deadline),
        })}
      </p>
      <div className="app-actions">
        {keyNotices.map((n) => (
          <NoticeLink key={n.id} applicationId={app.id} notice={n} print />
        ))}
        {app.allowed_actions.includes("withdraw") ? (
          <Popconfirm
            title={t("track.withdrawConfirm")}
            description={t("track.withdrawHint")}
            okText={t("track.withdraw")}
            cancelText={t("track.cancel")}
            onConfirm={() => withdraw()}
          >
            <Button danger>{t("track.withdraw")}</Button>
          </Popconfirm>
        ) : null}
        {withdrawError ? (
          <span className="error-text" role="alert">
            {withdrawError}
          </span>
        ) : null}
      </div>
    </section>
  );
}

/** The one-time notice (补正告知): what it asks for, the notice itself, and the correction form. */
function Corrections({ app, problems }: { app: Application; problems: MaterialProblem[] | null }) {
  const { t } = useTranslation("apply");
  const notice = [...(app.notices ?? [])].reverse().find((n) => n.kind === "correction");
  const canResubmit = app.allowed_actions.includes("resubmit");
  return (
    <section className="section app-correction" aria-labelledby="a-correction">
      <h2 id="a-correction">{t("track.correctionTitle")}</h2>
      {problems === null ? <Skeleton active /> : null}
      <Alert
        type="warning"
        showIcon
        message={t("app.correctionsNeeded", { date: formatDate(app.correction_deadline) })}
        description={
          <>
            <ul className="problems">
              {(problems ?? []).map((p) => (
                <li key={`${p.material}-${p.problem}-${p.message}`}>{p.message}</li>
              ))}
            </ul>
            {notice ? <NoticeLink applicationId={app.id} notice={notice} /> : null}
          </>
        }
      />
      {canResubmit && problems ? (
        <>
          <p className="muted-p">{t("track.correctionHint")}</p>
          <CorrectionForm app={app} problems={problems} />
        </>
      ) : null}
    </section>
  );
}

function Details({ app }: { app: Application }) {
  const { t } = useTranslation("apply");
  const { claims } = useSession();
  const trace = useQuery({
    queryKey: [MY, "application", app.id, "trace"],
    queryFn: () =>
      unwrap(
        api.GET("/api/intake/v1/applications/{application_id}/trace", {
          params: { path: { application_id: app.id }, query: { limit: TRACE_LIMIT } },
        }),
      ),
  });
  const waitingForCorrections = app.status === "correction_requested";
  // What the notice asks for: the trace's record of it (the clerk's own findings included).
  const asked = trace.data ? (noticeProblems(trace.data.items) ?? app.problems) : trace.isError ? app.problems : null;
  const submittedWithProblems = app.status === "submitted" && app.problems.length > 0;
  return (
    <>
      <Progress app={app} />
      <MyFees app={app} />
      <MyTracking app={app} />
      {app.bundle_application_id ? (
        <Alert
          type="info"
          showIcon
          className="section"
          message={t("track.inBundle")}
          action={<Link to={`/my/bundles/${encodeURIComponent(app.bundle_application_id)}`}>{t("track.openBundle")}</Link>}
        />
      ) : null}
      {app.status === "revoked" ? (
        <Alert type="error" showIcon className="section" role="status" message={t("track.revokedTitle")} description={app.closed_reason ?? undefined} />
      ) : null}
      {waitingForCorrections ? <Corrections app={app} problems={asked} /> : null}
      {submittedWithProblems ? (
        <Alert
          type="info"
          showIcon
          className="section"
          message={t("track.problemsFound")}
          description={
            <ul className="problems">
              {app.problems.map((p) => (
                <li key={`${p.material}-${p.problem}-${p.message}`}>{p.message}</li>
              ))}
            </ul>
          }
        />
      ) : null}
      <section className="section" aria-labelledby="a-facts">
        <h2 id="a-facts">{t("app.facts")}</h2>
        <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }}>
          <Descriptions.Item label={t("apps.status")}>
            <Tag color={statusColor(app.status)}>{codeLabel(t, "status", app.status, app.status_name)}</Tag>
          </Descriptions.Item>
          <Descriptions.Item label={t("apps.number")}>{app.application_no}</Descriptions.Item>
          <Descriptions.Item label={t("apps.item")}>
            <Link to={`/items/${encodeURIComponent(app.item_code)}`}>{app.item_name}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={t("app.channel")}>{codeLabel(t, "channel", app.channel)}</Descriptions.Item>
          <Descriptions.Item label={t("apps.received")}>{formatDateTime(app.received_at)}</Descriptions.Item>
          <Descriptions.Item label={t("app.accepted")}>
            {app.accepted_at ? formatDateTime(app.accepted_at) : "—"}
            {app.acceptance_no ? <div className="muted">{t("app.acceptanceNo", { no: app.acceptance_no })}</div> : null}
            {app.deemed_accepted ? <div className="muted">{t("app.deemedAccepted")}</div> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t("apps.due")}>
            <strong>{formatDate(app.due_on)}</strong>
            {app.extension_days > 0 ? (
              <div className="muted">{t("app.extended", { days: app.extension_days, reason: app.extension_reason ?? "" })}</div>
            ) : null}
            {app.paused_working_days > 0 ? <div className="muted">{t("app.paused", { days: app.paused_working_days })}</div> : null}
            {app.provisional_deadline ? <div className="muted">{t("app.provisional")}</div> : null}
          </Descriptions.Item>
          <Descriptions.Item label={t("app.promisedLimit")}>{limitText(t, app)}</Descriptions.Item>
          {app.decision ? (
            <Descriptions.Item label={t("app.decision")}>
              {codeLabel(t, "decision", app.decision)} {app.decision_no ?? ""}
              {app.decision_reasons ? <div className="muted prewrap">{app.decision_reasons}</div> : null}
            </Descriptions.Item>
          ) : null}
          {app.result ? (
            <Descriptions.Item label={t("app.result")}>
              {app.result.name}
              {app.result.number ? `（${app.result.number}）` : ""}
              {app.result.valid_until ? <div className="muted">{t("app.validUntil", { date: formatDate(app.result.valid_until) })}</div> : null}
            </Descriptions.Item>
          ) : null}
          {app.delivery_mode ? (
            <Descriptions.Item label={t("app.delivery")}>
              {codeLabel(t, "deliveryMode", app.delivery_mode)}
              {app.delivery?.carrier ? <div className="muted">{`${app.delivery.carrier} ${app.delivery.tracking_no ?? ""}`}</div> : null}
              {app.delivery?.locker ? <div className="muted">{app.delivery.locker}</div> : null}
              {app.delivered_at ? <div className="muted">{t("app.deliveredAt", { at: formatDateTime(app.delivered_at) })}</div> : null}
            </Descriptions.Item>
          ) : null}
          {app.closed_reason ? <Descriptions.Item label={t("app.closedReason")}>{app.closed_reason}</Descriptions.Item> : null}
          <Descriptions.Item label={t("app.visits")}>{t("app.visitsCount", { count: app.visits })}</Descriptions.Item>
        </Descriptions>
      </section>

      <CaseMaterialsCard app={app} className="section" plain />

      {app.commitment ? (
        <section className="section apply-card" aria-labelledby="a-commitment">
          <h2 id="a-commitment">{t("commitment.signedTitle")}</h2>
          <CommitmentSigned commitment={app.commitment} />
        </section>
      ) : null}

      <section className="section" aria-labelledby="a-notices">
        <h2 id="a-notices">{t("app.notices")}</h2>
        {(app.notices ?? []).length === 0 ? (
          <p className="muted-p">{t("app.noNotices")}</p>
        ) : (
          <List
            size="small"
            dataSource={app.notices ?? []}
            rowKey="id"
            renderItem={(n) => (
              <List.Item extra={<span className="muted">{formatDateTime(n.issued_at)}</span>}>
                <NoticeLink applicationId={app.id} notice={n} />
              </List.Item>
            )}
          />
        )}
      </section>

      <section className="section" aria-labelledby="a-history">
        <h2 id="a-history">{t("app.history")}</h2>
        {trace.isPending ? <Skeleton active /> : null}
        {trace.isError ? <ErrorAlert error={trace.error} onRetry={() => void trace.refetch()} /> : null}
        {trace.data ? (
          <>
            <Timeline
              className="history"
              items={trace.data.items.map((entry) => ({
                key: entry.seq,
                color: entry.action === "notice_issued" ? "orange" : entry.action === "accepted" ? "green" : "blue",
                children: (
                  <>
                    <strong>{codeLabel(t, "traceAction", entry.action)}</strong>
                    <div className="muted">
                      <time dateTime={entry.at}>{formatDateTime(entry.at)}</time>
                      <span className="app-history-by">
                        {" · "}
                        {t(BY[historyActor(entry.actor, app.applicant_id, claims?.sub)])}
                      </span>
                    </div>
                  </>
                ),
              }))}
            />
            {trace.data.total > trace.data.items.length ? (
              <p className="muted-p">{t("app.historyCut", { shown: trace.data.items.length, total: trace.data.total })}</p>
            ) : null}
          </>
        ) : null}
      </section>
    </>
  );
}

function ApplicationView() {
  const { id } = useParams();
  const { t } = useTranslation("apply");
  const location = useLocation();
  const submitted = Boolean((location.state as { submitted?: boolean } | null)?.submitted);
  const app = useQuery({
    queryKey: [MY, "application", id],
    queryFn: () => unwrap(api.GET("/api/intake/v1/applications/{application_id}", { params: { path: { application_id: id ?? "" } } })),
    enabled: Boolean(id),
  });
  useDocumentTitle(app.data ? app.data.item_name : t("app.title"));
  const notFound = app.error instanceof ApiError && (app.error.status === 404 || app.error.status === 403);
  return (
    <div className="page application">
      <Breadcrumb items={[{ title: <Link to="/my/applications">{t("apps.title")}</Link> }, { title: t("app.title") }]} />
      <h1 tabIndex={-1}>{app.data ? app.data.item_name : t("app.title")}</h1>
      {submitted && app.data && app.data.status === "submitted" && (app.data.notices ?? []).length === 0 ? (
        <Alert
          type="success"
          showIcon
          role="status"
          message={t("track.submitted", { no: app.data.application_no })}
          description={t("track.submittedHint", { date: formatDate(app.data.notice_due_on) })}
        />
      ) : null}
      {app.isPending ? <Skeleton active paragraph={{ rows: 10 }} /> : null}
      {notFound ? <Empty description={t("app.notFound")} /> : null}
      {app.isError && !notFound ? <ErrorAlert error={app.error} onRetry={() => void app.refetch()} /> : null}
      {app.data ? <Details app={app.data} /> : null}
    </div>
  );
}

function WithTexts() {
  const ready = useApplyTexts();
  return ready ? <ApplicationView /> : <Skeleton active paragraph={{ rows: 10 }} />;
}

export default function ApplicationPage() {
  return (
    <RequireCitizen>
      <WithTexts />
    </RequireCitizen>
  );
}
