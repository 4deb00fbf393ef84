import { useState } from "react";
import { Link, useLocation, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Card, Descriptions, Empty, List, Popconfirm, Skeleton, Tag, Timeline, Typography, message as antMessage } from "antd";
import { PrinterOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { useSession } from "../../auth/useSession";
import { Light, RemainingDays } from "../../staff/Light";
import { ActionDialog, type FormAction } from "./ActionDialog";
import { decisionNotices, extensionLeft, runningPause, type Action, type Application, type Notice } from "./model";
import { openNotice } from "./notice";
import { UnitName } from "../../components/UnitName";
import { CommitmentSigned } from "../apply/Commitment";
import { CaseFeesCard, CaseWaybillsCard } from "../fees/parts";
import "./approval.css";

/** The order the actions are offered in; the API's allowed_actions decides which are shown. */
const OFFERED: Action[] = ["record_step", "pause", "resume", "extend", "approve", "refuse", "complete", "deliver"];

function NoticeButton({ app, notice, primary }: { app: Application; notice: Notice; primary?: boolean }) {
  const { t } = useTranslation("approval");
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = async () => {
    setBusy(true);
    setError(null);
    try {
      await openNotice(app.id, notice.id);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span>
      <Button type={primary ? "primary" : "default"} icon={<PrinterOutlined aria-hidden />} loading={busy} onClick={() => void open()}>
        {t("docs.open", { kind: codeLabel(t, "noticeKind", notice.kind), no: notice.number })}
      </Button>
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

/** How the result was delivered (送达): the mode, then what identifies it (签收人, 运单号, 智能柜). */
function DeliveryText({ app }: { app: Application }) {
  const { t } = useTranslation("approval");
  const d = app.delivery;
  const detail =
    app.delivery_mode === "window"
      ? t("case.signedBy", { name: d?.signed_by ?? "—" })
      : app.delivery_mode === "post"
        ? t("case.posted", { carrier: d?.carrier ?? "", no: d?.tracking_no ?? "", address: d?.address ?? "" })
        : t("case.inLocker", { locker: d?.locker ?? "", until: formatDate(d?.expires_on) });
  return (
    <>
      {codeLabel(t, "deliveryMode", app.delivery_mode)} · {formatDateTime(app.delivered_at)}
      <div className="muted">{detail}</div>
    </>
  );
}

/** Who took a step: "本人" for the reader, else the unit's staff (the API gives an account id only). */
function Actor({ id, unit }: { id: string; unit?: string | null }) {
  const { t } = useTranslation("approval");
  const { claims } = useSession();
  if (claims?.sub === id) return <>{t("trace.me")}</>;
  if (unit) return <>
        <UnitName code={unit} />
        {t("trace.staffOf")}
      </>;
  if (id === "system") return <>{t("trace.system")}</>;
  return <>{t("trace.staff")}</>;
}

/** The most telling words of a trace entry: the opinion, the reason, the decision number… */
function traceDetail(data: Record<string, unknown>): string | null {
  for (const key of ["opinion", "reason", "reasons", "decision_no", "due_on", "signed_by", "tracking_no", "locker"]) {
    const value = data[key];
    if (typeof value === "string" && value) return value;
  }
  return null;
}

/**
 * One case as the deciding unit handles it (审查、特别程序、延期、决定、办结), with the documents to
 * print, the steps and special procedures, the reminders raised on it and the full trace (留痕).
 * Supervisors open the same page read-only (/work/supervision/cases/:id): the API offers them no action.
 */
export default function CasePage() {
  const { t } = useTranslation("approval");
  const { id = "" } = useParams();
  const { pathname } = useLocation();
  const fromSupervision = pathname.startsWith("/work/supervision");
  const queryClient = useQueryClient();
  const [message, messageHolder] = antMessage.useMessage();
  const errorText = useErrorText();
  const [action, setAction] = useState<FormAction | null>(null);
  const [resumeError, setResumeError] = useState<string | null>(null);
  const [resuming, setResuming] = useState(false);

  const key = [MY, "approval", "case", id];
  const app = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/intake/v1/applications/{application_id}", { params: { path: { application_id: id } } })),
  });
  const unit = app.data?.owner_unit_code;
  const board = useQuery({
    queryKey: [MY, "approval", "board", unit],
    queryFn: () => unwrap(api.GET("/api/intake/v1/supervision/cases", { params: { query: { unit_code: unit, limit: 200 } } })),
    enabled: Boolean(unit),
    retry: false,
  });
  const trace = useQuery({
    queryKey: [...key, "trace"],
    queryFn: () => unwrap(api.GET("/api/intake/v1/applications/{application_id}/trace", { params: { path: { application_id: id }, query: { limit: 200 } } })),
  });
  const escalations = useQuery({
    queryKey: [...key, "escalations"],
    queryFn: () =>
      unwrap(api.GET("/api/intake/v1/applications/{application_id}/escalations", { params: { path: { application_id: id }, query: { limit: 50 } } })),
    retry: false,
  });
  useDocumentTitle(app.data ? t("case.title", { no: app.data.application_no }) : t("case.loading"));

  const back = fromSupervision ? { to: "/work/supervision", label: t("case.backBoard") } : { to: "/work/approval", label: t("case.backInbox") };

  if (app.isLoading) return <Skeleton active />;
  if (app.isError || !app.data)
    return (
      <div className="staff-page">
        <Link to={back.to}>{back.label}</Link>
        <ErrorAlert error={app.error} onRetry={() => void app.refetch()} />
      </div>
    );

  const a = app.data;
  const line = board.data?.items.find((c) => c.id === a.id);
  const pause = runningPause(a);
  const { decisions, others } = decisionNotices(a.notices);
  const offered = OFFERED.filter((x) => a.allowed_actions.includes(x));
  const left = extensionLeft(a);

  const refreshAfter = async (updated: Application) => {
    queryClient.setQueryData(key, updated);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: [...key, "trace"] }),
      queryClient.invalidateQueries({ queryKey: [MY, "approval", "board"] }),
    ]);
  };
  const done = async (updated: Application, act: FormAction) => {
    setAction(null);
    await refreshAfter(updated);
    void message.success(t(`done.${act}`));
  };
  const resume = async () => {
    setResuming(true);
    setResumeError(null);
    try {
      const updated = await unwrap(api.POST("/api/intake/v1/applications/{application_id}/resume", { params: { path: { application_id: a.id } } }));
      await refreshAfter(updated);
      void message.success(t("done.resume"));
    } catch (e) {
      setResumeError(errorText(e));
    } finally {
      setResuming(false);
    }
  };

  return (
    <div className="staff-page">
      {messageHolder}
      <Breadcrumb items={[{ title: <Link to={back.to}>{back.label}</Link> }, { title: a.application_no }]} />
      <div className="approval-head">
        <Typography.Title level={1} className="staff-title">
          {a.item_name}
        </Typography.Title>
        <Tag>{codeLabel(t, "status", a.status, a.status_name)}</Tag>
        {line ? <Light colour={line.colour} paused={line.paused} /> : null}
        {line ? <RemainingDays days={line.remaining_working_days} /> : null}
      </div>
      {pause ? (
        <Alert
          className="approval-banner"
          type="info"
          showIcon
          message={t("case.paused", { procedure: t(`procedure.${pause.procedure}`), since: formatDate(pause.started_on) })}
          description={pause.reason}
        />
      ) : null}
      {a.status === "revoked" ? <Alert className="approval-banner" type="error" showIcon message={t("case.revoked")} description={a.closed_reason ?? undefined} /> : null}
      {a.deficiencies.length > 0 ? (
        <Alert className="approval-banner" type="warning" showIcon message={t("case.deficiencies")} description={a.deficiencies.map((d) => d.message).join("；")} />
      ) : null}

      <div className="approval-grid">
        <div>
          <Card className="approval-section" title={<h2 className="card-title">{t("case.facts")}</h2>} size="small">
            <Descriptions size="small" column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }} bordered>
              <Descriptions.Item label={t("case.no")}>{a.application_no}</Descriptions.Item>
              <Descriptions.Item label={t("case.applicant")}>
                {a.applicant_name}
                {a.applicant_phone ? `（${a.applicant_phone}）` : ""}
              </Descriptions.Item>
              <Descriptions.Item label={t("case.channel")}>{codeLabel(t, "channel", a.channel)}</Descriptions.Item>
              <Descriptions.Item label={t("case.unit")}>
                <UnitName code={a.owner_unit_code} />
              </Descriptions.Item>
              <Descriptions.Item label={t("case.acceptedAt")}>
                {formatDateTime(a.accepted_at)} {a.acceptance_no ? `（${a.acceptance_no}）` : ""}
              </Descriptions.Item>
              <Descriptions.Item label={t("case.limit")}>
                {t("case.limitValue", {
                  legal: a.legal_limit_days ?? "—",
                  promised: a.promised_limit_days ?? "—",
                  unit: codeLabel(t, "limitUnit", a.limit_unit),
                })}
              </Descriptions.Item>
              <Descriptions.Item label={t("case.due")}>
                {formatDate(line?.due_on ?? a.due_on)}
                {a.provisional_deadline ? <Tag className="approval-provisional">{t("col.provisional")}</Tag> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t("case.pausedDays")}>{t("case.days", { count: a.paused_working_days })}</Descriptions.Item>
              <Descriptions.Item label={t("case.extension")}>
                {a.extension_days > 0 ? t("case.extended", { count: a.extension_days, reason: a.extension_reason ?? "" }) : t("case.none")}
              </Descriptions.Item>
              <Descriptions.Item label={t("case.decision")}>
                {a.decision ? `${codeLabel(t, "decision", a.decision)}${a.decision_no ? `（${a.decision_no}）` : ""}` : t("case.none")}
                {a.decision_reasons ? <div className="muted">{a.decision_reasons}</div> : null}
              </Descriptions.Item>
              {a.result ? (
                <Descriptions.Item label={t("case.result")}>
                  {a.result.name} {a.result.number ?? ""}
                </Descriptions.Item>
              ) : null}
              {a.delivery_mode ? (
                <Descriptions.Item label={t("case.delivery")}>
                  <DeliveryText app={a} />
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>

          {a.commitment ? (
            <Card className="approval-section" title={<h2 className="card-title">{t("case.commitment")}</h2>} size="small">
              <CommitmentSigned commitment={a.commitment} />
              <Link to="/work/approval/post-checks">{t("case.toPostChecks")}</Link>
            </Card>
          ) : null}

          <Card className="approval-section" title={<h2 className="card-title">{t("case.steps")}</h2>} size="small">
            {(a.steps ?? []).length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("case.noSteps")} />
            ) : (
              <List
                size="small"
                dataSource={a.steps ?? []}
                renderItem={(s) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <span>
                          <Tag>{t(`stepKind.${s.kind}`)}</Tag>
                          <Actor id={s.actor} unit={s.actor_unit_code} /> · {formatDateTime(s.ended_at ?? s.started_at)}
                        </span>
                      }
                      description={s.opinion ?? "—"}
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>

          {(a.pauses ?? []).length > 0 ? (
            <Card className="approval-section" title={<h2 className="card-title">{t("case.pauses")}</h2>} size="small">
              <List
                size="small"
                dataSource={a.pauses ?? []}
                renderItem={(p) => (
                  <List.Item>
                    <List.Item.Meta
                      title={`${t(`procedure.${p.procedure}`)} · ${formatDate(p.started_on)} — ${p.ended_on ? formatDate(p.ended_on) : t("case.running")}`}
                      description={
                        <>
                          {p.reason}
                          {p.paused_working_days !== null ? ` · ${t("case.pausedFor", { count: p.paused_working_days })}` : ""}
                          {p.expected_end_on && !p.ended_on ? ` · ${t("case.expectedEnd", { date: formatDate(p.expected_end_on) })}` : ""}
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            </Card>
          ) : null}

          {(escalations.data?.items ?? []).length > 0 ? (
            <Card className="approval-section" title={<h2 className="card-title">{t("case.escalations")}</h2>} size="small">
              <List
                size="small"
                dataSource={escalations.data?.items ?? []}
                renderItem={(e) => (
                  <List.Item>
                    <List.Item.Meta
                      title={
                        <span>
                          <Tag color={e.kind === "reminder" ? "warning" : "error"}>{t(`escalationKind.${e.kind}`)}</Tag>
                          {formatDateTime(e.raised_at)}
                        </span>
                      }
                      description={
                        <>
                          {e.message}
                          <div className="muted">
                            {e.recipients
                              .map((r) => `${r.name ?? t("trace.staff")}${r.acknowledged_at ? t("case.acknowledged") : t("case.notAcknowledged")}`)
                              .join("；")}
                          </div>
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            </Card>
          ) : null}

          <Card className="approval-section" title={<h2 className="card-title">{t("case.trace")}</h2>} size="small">
            {trace.isError ? <ErrorAlert error={trace.error} /> : null}
            <Timeline
              className="approval-trace"
              items={(trace.data?.items ?? []).map((e) => {
                const detail = traceDetail(e.data);
                return {
                  key: e.seq,
                  children: (
                    <>
                      <strong>{codeLabel(t, "traceAction", e.action)}</strong> · {formatDateTime(e.at)} · <Actor id={e.actor} />
                      {detail ? <div className="muted">{detail}</div> : null}
                    </>
                  ),
                };
              })}
            />
          </Card>
        </div>

        <div>
          <Card className="approval-section" title={<h2 className="card-title">{t("case.handle")}</h2>} size="small">
            {offered.length === 0 ? <p className="muted">{t("case.nothingToDo")}</p> : null}
            <div className="approval-actions">
              {offered.map((x) =>
                x === "resume" ? (
                  <Popconfirm
                    key={x}
                    title={t("confirm.resume.title")}
                    description={t("confirm.resume.text")}
                    okText={t("confirm.resume.ok")}
                    cancelText={t("cancel")}
                    onConfirm={() => resume()}
                  >
                    <Button type="primary" loading={resuming}>
                      {t("action.resume")}
                    </Button>
                  </Popconfirm>
                ) : (
                  <Button
                    key={x}
                    type={x === "approve" || x === "complete" || x === "deliver" ? "primary" : "default"}
                    danger={x === "refuse"}
                    disabled={x === "extend" && left === 0}
                    onClick={() => setAction(x as FormAction)}
                  >
                    {t(`action.${x}`)}
                  </Button>
                ),
              )}
            </div>
            {resumeError ? (
              <p className="error-text" role="alert">
                {resumeError}
              </p>
            ) : null}
            {a.allowed_actions.includes("extend") ? <p className="muted">{t("case.extensionLeft", { count: left })}</p> : null}
          </Card>

          <CaseFeesCard app={a} className="approval-section" />
          <CaseWaybillsCard app={a} className="approval-section" />
          <Card className="approval-section" title={<h2 className="card-title">{t("case.documents")}</h2>} size="small">
            {decisions.length + others.length === 0 ? <p className="muted">{t("case.noDocuments")}</p> : null}
            <div className="approval-docs">
              {decisions.map((n) => (
                <NoticeButton key={n.id} app={a} notice={n} primary />
              ))}
              {others.map((n) => (
                <NoticeButton key={n.id} app={a} notice={n} />
              ))}
            </div>
          </Card>
        </div>
      </div>

      <ActionDialog action={action} app={a} extensionLeft={left} onClose={() => setAction(null)} onDone={(u, x) => void done(u, x)} />
    </div>
  );
}
