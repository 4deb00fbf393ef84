import { useState } from "react";
import { Link, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Card, Col, Descriptions, Empty, List, Row, Skeleton, Space, Tag, Timeline, Typography } from "antd";
import { EyeOutlined, PrinterOutlined } from "@ant-design/icons";
import { useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { Light, RemainingDays } from "../../staff/Light";
import { noticeProblems } from "../apply/model";
import { CommitmentSigned } from "../apply/Commitment";
import { AcceptPanel, DeliverPanel, HandOverPanel, MaterialsInPanel, NoticePanel, RateVisit, RefusePanel, WithdrawPanel } from "./ActionPanels";
import { districtToday, windowActions, workingCalendar, workRow, type Application } from "./model";
import { openNotice, printNotice } from "./notice";
import { UnitName } from "../../components/UnitName";
import { EnterpriseName } from "./EnterprisePicker";
import { getApplication, getBoard, getCalendar, KEYS } from "./queries";
import { CaseFeesCard, CaseWaybillsCard } from "../fees/parts";
import { CaseMaterialsCard } from "../licence/CaseMaterials";
import "./window.css";

type Notice = NonNullable<Application["notices"]>[number];

function NoticeButtons({ app, notice }: { app: Application; notice: Notice }) {
  const { t } = useTranslation("window");
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  const run = (fn: () => Promise<void>) => {
    setError(null);
    fn().catch((e: unknown) => setError(errorText(e)));
  };
  const kind = codeLabel(t, "noticeKind", notice.kind);
  return (
    <List.Item
      actions={[
        <Button key="view" size="small" icon={<EyeOutlined aria-hidden />} onClick={() => run(() => openNotice(app.id, notice.id))} aria-label={t("notices.viewOne", { kind })}>
          {t("notices.view")}
        </Button>,
        <Button key="print" size="small" icon={<PrinterOutlined aria-hidden />} onClick={() => run(() => printNotice(app.id, notice.id))} aria-label={t("notices.printOne", { kind })}>
          {t("notices.print")}
        </Button>,
      ]}
    >
      <List.Item.Meta title={kind} description={`${notice.number} · ${formatDateTime(notice.issued_at)}`} />
      {error ? <span className="error-text" role="alert">{error}</span> : null}
    </List.Item>
  );
}

function CaseLight({ app }: { app: Application }) {
  const today = districtToday();
  const year = Number(today.slice(0, 4));
  const board = useQuery({ queryKey: KEYS.board, queryFn: getBoard });
  const calendars = useQueries({ queries: [year, year + 1].map((y) => ({ queryKey: KEYS.calendar(y), queryFn: () => getCalendar(y), staleTime: 3_600_000 })) });
  if (!calendars.every((c) => c.data)) return null;
  const calendar = workingCalendar(calendars.flatMap((c) => c.data?.items ?? []));
  const row = workRow(
    { id: app.id, application_no: app.application_no, item_code: app.item_code, item_name: app.item_name, status: app.status, applicant_name: app.applicant_name, received_at: app.received_at, due_on: app.due_on },
    app,
    board.data?.items.find((c) => c.id === app.id),
    calendar,
    today,
  );
  if (!row.colour) return null;
  return (
    <span className="window-light">
      <Light colour={row.colour} paused={row.paused} />
      <RemainingDays days={row.remaining} />
    </span>
  );
}

function Trace({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const trace = useQuery({
    queryKey: KEYS.trace(app.id),
    queryFn: () => unwrap(api.GET("/api/intake/v1/applications/{application_id}/trace", { params: { path: { application_id: app.id }, query: { limit: 200 } } })),
  });
  if (trace.isPending) return <Skeleton active />;
  if (trace.error) return <ErrorAlert error={trace.error} onRetry={() => void trace.refetch()} />;
  return (
    <Timeline
      className="window-trace"
      items={trace.data.items.map((e) => ({
        key: e.seq,
        children: (
          <div>
            <strong>{codeLabel(t, "traceAction", e.action)}</strong> <span className="muted">{formatDateTime(e.at)}</span>
            {typeof e.data.mode === "string" ? <div className="muted">{codeLabel(t, "deliveryMode", e.data.mode)}</div> : null}
            {typeof e.data.reasons === "string" ? <div className="muted">{e.data.reasons}</div> : null}
            {typeof e.data.reason === "string" && e.data.reason ? <div className="muted">{e.data.reason}</div> : null}
            {typeof e.data.signed_by === "string" ? <div className="muted">{t("trace.signedBy", { name: e.data.signed_by })}</div> : null}
          </div>
        ),
      }))}
    />
  );
}

/** How the result went out: when, and the receipt's signer, the parcel's tracking number and address, or the locker. */
function DeliveryText({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const d = app.delivery;
  if (!d) return null;
  const lines = [`${codeLabel(t, "deliveryMode", app.delivery_mode)} · ${formatDateTime(app.delivered_at)}`];
  if (d.signed_by) lines.push(t("trace.signedBy", { name: d.signed_by }));
  if (d.tracking_no) lines.push(t("case.tracking", { carrier: d.carrier ?? "", no: d.tracking_no }));
  if (d.address) lines.push(t("case.address", { address: d.address }));
  if (d.locker) lines.push(t("case.locker", { locker: d.locker, date: formatDate(d.expires_on) }));
  return (
    <>
      {lines.map((line) => (
        <div key={line}>{line}</div>
      ))}
    </>
  );
}

/** What the clerk may do now, as intake offers it: one panel per action. */
function Actions({ app }: { app: Application }) {
  const { t } = useTranslation("window");
  const trace = useQuery({
    queryKey: KEYS.trace(app.id),
    queryFn: () => unwrap(api.GET("/api/intake/v1/applications/{application_id}/trace", { params: { path: { application_id: app.id }, query: { limit: 200 } } })),
    enabled: app.status === "correction_requested",
  });
  const actions = windowActions(app.allowed_actions);
  if (app.status === "delivered" && app.delivery_mode === "window") return <RateVisit app={app} />;
  if (actions.length === 0)
    return <Alert type="info" showIcon message={t("case.nothingToDo")} description={t(`case.waiting.${app.status}`, { defaultValue: "" }) || undefined} />;
  return (
    <Space direction="vertical" size={12} className="window-actions">
      {actions.map((a) => {
        switch (a) {
          case "accept":
          case "accept_on_the_spot":
            return <AcceptPanel key={a} app={app} onTheSpot={a === "accept_on_the_spot"} />;
          case "issue_notice":
            return <NoticePanel key={a} app={app} />;
          case "refuse_acceptance":
            return <RefusePanel key={a} app={app} />;
          case "hand_over":
            return <HandOverPanel key={a} app={app} />;
          case "deliver":
            return <DeliverPanel key={a} app={app} />;
          case "correct_deficiencies":
            return <MaterialsInPanel key={a} app={app} problems={app.deficiencies} kind="correct_deficiencies" />;
          case "withdraw":
            return <WithdrawPanel key={a} app={app} />;
          default:
            return null;
        }
      })}
      {app.status === "correction_requested" && app.allowed_actions.includes("resubmit") ? (
        <MaterialsInPanel app={app} problems={(trace.data && noticeProblems(trace.data.items)) ?? app.problems} kind="resubmit" />
      ) : null}
    </Space>
  );
}

/** One case at the window: its completeness problems, the actions intake offers, its notices and trace. */
export default function CasePage() {
  const { t } = useTranslation("window");
  const { id = "" } = useParams();
  const query = useQuery({ queryKey: KEYS.app(id), queryFn: () => getApplication(id) });
  const queryClient = useQueryClient();
  const app = query.data;
  useDocumentTitle(app ? `${app.application_no} ${app.item_name}` : t("case.title"));
  const crumbs = (
    <Breadcrumb items={[{ title: <Link to="/work/window">{t("list.title")}</Link> }, { title: app?.application_no ?? t("case.title") }]} />
  );
  if (query.isPending)
    return (
      <div className="staff-page">
        {crumbs}
        <Skeleton active />
      </div>
    );
  if (query.error || !app)
    return (
      <div className="staff-page">
        {crumbs}
        <ErrorAlert error={query.error} onRetry={() => void query.refetch()} />
      </div>
    );

  return (
    <div className="staff-page">
      {crumbs}
      <div className="window-case-head">
        <Typography.Title level={1} className="staff-title">
          {app.item_name}
        </Typography.Title>
        <Space wrap size={8}>
          <Tag color={app.status === "revoked" ? "red" : "blue"}>{codeLabel(t, "status", app.status)}</Tag>
          <CaseLight app={app} />
          <span className="window-no">{app.application_no}</span>
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={14}>
          <Card size="small" title={<h2 className="card-title">{t("case.details")}</h2>} className="window-card">
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 2 }} bordered>
              {app.enterprise_id ? (
                <Descriptions.Item label={t("case.enterprise")} span={2}>
                  <EnterpriseName id={app.enterprise_id} />
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t(app.enterprise_id ? "case.agent" : "case.applicant")}>{app.applicant_name}</Descriptions.Item>
              <Descriptions.Item label={t("case.phone")}>{app.applicant_phone ?? "—"}</Descriptions.Item>
              <Descriptions.Item label={t("case.channel")}>{codeLabel(t, "channel", app.channel)}</Descriptions.Item>
              <Descriptions.Item label={t("case.handlingType")}>{codeLabel(t, "handlingType", app.handling_type)}</Descriptions.Item>
              <Descriptions.Item label={t("case.received")}>{formatDateTime(app.received_at)}</Descriptions.Item>
              <Descriptions.Item label={t("case.noticeDue")}>{formatDate(app.notice_due_on)}</Descriptions.Item>
              <Descriptions.Item label={t("case.correctionDeadline")}>{formatDate(app.correction_deadline)}</Descriptions.Item>
              <Descriptions.Item label={t("case.dueOn")}>{formatDate(app.due_on)}</Descriptions.Item>
              <Descriptions.Item label={t("case.owner")}>
                <UnitName code={app.owner_unit_code} />
              </Descriptions.Item>
              <Descriptions.Item label={t("case.acceptanceNo")}>{app.acceptance_no ?? "—"}</Descriptions.Item>
              {app.result ? <Descriptions.Item label={t("case.result")}>{`${app.result.name}${app.result.number ? `（${app.result.number}）` : ""}`}</Descriptions.Item> : null}
              {app.delivery ? (
                <Descriptions.Item label={t("case.delivery")}>
                  <DeliveryText app={app} />
                </Descriptions.Item>
              ) : null}
              {app.closed_reason ? <Descriptions.Item label={t("case.closedReason")}>{app.closed_reason}</Descriptions.Item> : null}
            </Descriptions>
          </Card>
          {app.bundle_application_id ? (
            <Alert
              type="info"
              showIcon
              className="window-card"
              message={t("bundles.partOf")}
              action={<Link to={`/work/window/bundles/${encodeURIComponent(app.bundle_application_id)}`}>{t("bundles.open")}</Link>}
            />
          ) : null}
          {app.status === "revoked" ? <Alert type="error" showIcon className="window-card" message={t("case.revoked")} description={app.closed_reason ?? undefined} /> : null}
          {app.commitment ? (
            <Card size="small" title={<h2 className="card-title">{t("case.commitment")}</h2>} className="window-card">
              <CommitmentSigned commitment={app.commitment} />
            </Card>
          ) : null}
          <Card size="small" title={<h2 className="card-title">{t("case.problems", { count: app.problems.length })}</h2>} className="window-card">
            {app.problems.length === 0 ? (
              <p className="window-ok">{t("case.noProblems")}</p>
            ) : (
              <ol className="window-problems">
                {app.problems.map((p, i) => (
                  <li key={`${p.material}-${p.problem}-${i}`}>
                    <strong>{p.material}</strong>：{p.message}
                  </li>
                ))}
              </ol>
            )}
            {app.deficiencies.length > 0 ? (
              <Alert
                type="warning"
                showIcon
                message={t("case.deficiencies", { date: formatDate(app.deficiency_deadline) })}
                description={
                  <ul>
                    {app.deficiencies.map((d) => (
                      <li key={d.material}>{d.material}</li>
                    ))}
                  </ul>
                }
              />
            ) : null}
          </Card>
          <CaseMaterialsCard
            app={app}
            className="window-card"
            canFetch
            onChanged={(next) => {
              queryClient.setQueryData(KEYS.app(app.id), next);
              void queryClient.invalidateQueries({ queryKey: KEYS.trace(app.id) });
            }}
          />
          <section aria-labelledby="case-actions" className="window-card">
            <h2 id="case-actions" className="window-section-title">
              {t("case.actions")}
            </h2>
            <Actions app={app} />
          </section>
        </Col>
        <Col xs={24} xl={10}>
          <CaseFeesCard app={app} className="window-card" />
          <CaseWaybillsCard app={app} className="window-card" />
          <Card size="small" title={<h2 className="card-title">{t("notices.title")}</h2>} className="window-card">
            {(app.notices ?? []).length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("notices.none")} />
            ) : (
              <List size="small" dataSource={app.notices ?? []} renderItem={(n) => <NoticeButtons app={app} notice={n} />} />
            )}
          </Card>
          <Card size="small" title={<h2 className="card-title">{t("case.trace")}</h2>} className="window-card">
            <Trace app={app} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
