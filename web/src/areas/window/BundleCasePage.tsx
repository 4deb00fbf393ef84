import { useState } from "react";
import { Link, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Card, Checkbox, Col, Descriptions, Form, Result, Row, Skeleton, Space, Tag, Typography, type FormInstance } from "antd";
import { CheckOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { CaseStages } from "../bundle/CaseStages";
import { bundleStatusColor, type BundleApplication } from "../bundle/model";
import { getBundleApplication } from "../bundle/queries";
import { Confirmed, DeliverForm, Panel, type DeliverValues } from "./ActionPanels";
import { BUNDLE_KEYS } from "./BundlesPage";
import { getApplication } from "./queries";
import { bundleParcel } from "../fees/model";
import { BundleWaybillsCard } from "../fees/parts";
import "../bundle/bundle.css";
import "./window.css";

type Path =
  | "/api/intake/v1/bundle-applications/{bundle_application_id}/notice"
  | "/api/intake/v1/bundle-applications/{bundle_application_id}/accept"
  | "/api/intake/v1/bundle-applications/{bundle_application_id}/resubmit"
  | "/api/intake/v1/bundle-applications/{bundle_application_id}/deliver";

/** One step on the bundle: the answer replaces it on screen; a problem goes under the form's fields. */
function useBundleAction(app: BundleApplication, form?: FormInstance, fields: string[] = []) {
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const run = async (path: Path, body: Record<string, unknown> = {}) => {
    setBusy(true);
    setMessages([]);
    try {
      const updated = await unwrap(
        (api.POST as unknown as (p: string, o: object) => Promise<{ data?: BundleApplication; error?: unknown; response: Response }>)(path, {
          params: { path: { bundle_application_id: app.id } },
          body,
        }),
      );
      queryClient.setQueryData(BUNDLE_KEYS.one(app.id), updated);
      void queryClient.invalidateQueries({ queryKey: BUNDLE_KEYS.list });
      void queryClient.invalidateQueries({ queryKey: [MY, "window", "applications"] });
      return updated;
    } catch (e) {
      if (e instanceof ApiError && e.problem && form) setMessages(applyProblemToForm(form, e.problem, fields));
      else setMessages([errorText(e)]);
      return null;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, messages, setMessages };
}

/** 一次性告知 for the whole bundle: every material missing, once, whichever items need it. */
function NoticeStep({ app }: { app: BundleApplication }) {
  const { t } = useTranslation("window");
  const action = useBundleAction(app);
  return (
    <Panel id="b-notice" title={t("actions.issue_notice")}>
      <p className="muted">{t("bundles.noticeHint", { count: app.problems.length })}</p>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed label={t("notice.issue")} question={t("bundles.noticeConfirm")} onConfirm={() => void action.run("/api/intake/v1/bundle-applications/{bundle_application_id}/notice", { extra_problems: [] })} busy={action.busy} />
    </Panel>
  );
}

/** 统一受理: one acceptance number; the first stage goes to its departments at once. */
function AcceptStep({ app }: { app: BundleApplication }) {
  const { t } = useTranslation("window");
  const action = useBundleAction(app);
  return (
    <Panel id="b-accept" title={t("bundles.accept")}>
      {app.problems.length > 0 ? <p className="window-warn">{t("accept.problemsLeft", { count: app.problems.length })}</p> : null}
      <p className="muted">{t("bundles.acceptHint", { count: app.cases.length })}</p>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Confirmed primary icon={<CheckOutlined aria-hidden />} label={t("accept.do")} question={t("bundles.acceptConfirm")} onConfirm={() => void action.run("/api/intake/v1/bundle-applications/{bundle_application_id}/accept", {})} busy={action.busy} />
    </Panel>
  );
}

/** The corrections handed in at the counter, each material once for every case waiting for it. */
function ResubmitStep({ app }: { app: BundleApplication }) {
  const { t } = useTranslation("window");
  const names = [...new Set(app.problems.map((p) => p.material))];
  const [form] = Form.useForm<{ received: string[] }>();
  const action = useBundleAction(app, form, ["received"]);
  const send = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const materials = v.received.map((name) => ({ name, provided_as: "paper" as const, media: ["original" as const], originals: 1, copies: 0 }));
    await action.run("/api/intake/v1/bundle-applications/{bundle_application_id}/resubmit", { materials });
  };
  return (
    <Panel id="b-resubmit" title={t("actions.resubmit")}>
      <Form form={form} layout="vertical" name="bundle-resubmit">
        <Form.Item name="received" label={t("materialsIn.received")} rules={[{ required: true, type: "array", min: 1, message: t("materialsIn.required") }]}>
          <Checkbox.Group options={names.map((n) => ({ value: n, label: n }))} className="window-checks" />
        </Form.Item>
      </Form>
      <ProblemAlert messages={action.messages} title={t("problemsTitle")} />
      <Button type="primary" onClick={() => void send()} loading={action.busy}>
        {t("materialsIn.do")}
      </Button>
    </Panel>
  );
}

/**
 * One delivery of every result: the same form as a single case's, the wish the bundle's own (else its
 * first case's); by post, one courier's waybill for one parcel with every result in it.
 */
function DeliverStep({ app }: { app: BundleApplication }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<DeliverValues>();
  const action = useBundleAction(app, form, ["signed_by", "carrier", "tracking_no", "address", "locker", "recipient_name", "recipient_phone"]);
  const first = app.cases[0];
  const firstCase = useQuery({ queryKey: [MY, "window", "application", first?.application_id ?? ""], queryFn: () => getApplication(first?.application_id ?? ""), enabled: Boolean(first) });
  if (first && firstCase.isPending) return <Skeleton active />;
  return (
    <DeliverForm
      form={form}
      receiptName={app.bundle_no}
      signer={app.applicant_name}
      wish={app.delivery_wish ?? firstCase.data?.delivery_wish ?? null}
      parcel={bundleParcel(app, firstCase.data)}
      result={
        <div>
          {t("bundles.results")}
          <ul className="window-problems">
            {app.cases.map((c) => (
              <li key={c.application_id}>{c.result_name ?? c.item_name}</li>
            ))}
          </ul>
        </div>
      }
      action={{ ...action, run: (body) => action.run("/api/intake/v1/bundle-applications/{bundle_application_id}/deliver", body) }}
    />
  );
}

function Steps({ app }: { app: BundleApplication }) {
  const { t } = useTranslation("window");
  const acts = app.allowed_actions;
  if (app.status === "delivered") return <Result status="success" className="window-delivered" title={t("bundles.delivered")} subTitle={t("bundles.deliveredHint")} />;
  if (acts.length === 0) return <Alert type="info" showIcon message={t("case.nothingToDo")} description={t(`bundles.waiting.${app.status}`, { defaultValue: "" }) || undefined} />;
  return (
    <Space direction="vertical" size={12} className="window-actions">
      {/* With problems the one notice comes first; without, acceptance. */}
      {acts.includes("issue_notice") && app.problems.length > 0 ? <NoticeStep app={app} /> : null}
      {acts.includes("accept") ? <AcceptStep app={app} /> : null}
      {acts.includes("issue_notice") && app.problems.length === 0 ? <NoticeStep app={app} /> : null}
      {acts.includes("resubmit") ? <ResubmitStep app={app} /> : null}
      {acts.includes("deliver") ? <DeliverStep app={app} /> : null}
    </Space>
  );
}

/** One 一件事 at the window: the one completeness check, notice or acceptance, the stages, one delivery. */
export default function BundleCasePage() {
  const { t } = useTranslation("window");
  const { id = "" } = useParams();
  const query = useQuery({ queryKey: BUNDLE_KEYS.one(id), queryFn: () => getBundleApplication(id) });
  const app = query.data;
  useDocumentTitle(app ? `${app.bundle_no} ${app.bundle_name}` : t("bundles.title"));
  const crumbs = <Breadcrumb items={[{ title: <Link to="/work/window/bundles">{t("bundles.title")}</Link> }, { title: app?.bundle_no ?? t("bundles.title") }]} />;
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
          {app.bundle_name}
        </Typography.Title>
        <Space wrap size={8}>
          <Tag color={bundleStatusColor(app.status)}>{codeLabel(t, "bundleStatus", app.status, app.status_name)}</Tag>
          <span className="window-no">{app.bundle_no}</span>
        </Space>
      </div>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card size="small" title={<h2 className="card-title">{t("case.details")}</h2>} className="window-card">
            <Descriptions size="small" column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 1, xxl: 2 }} bordered className="window-bundle-facts">
              <Descriptions.Item label={t("case.applicant")}>{app.applicant_name}</Descriptions.Item>
              <Descriptions.Item label={t("case.channel")}>{codeLabel(t, "channel", app.channel)}</Descriptions.Item>
              <Descriptions.Item label={t("case.received")}>{formatDateTime(app.received_at)}</Descriptions.Item>
              <Descriptions.Item label={t("case.dueOn")}>{formatDate(app.due_on)}</Descriptions.Item>
              <Descriptions.Item label={t("bundles.acceptanceNo")} span="filled">
                {app.acceptance_no ? <strong>{app.acceptance_no}</strong> : "—"}
              </Descriptions.Item>
              {app.notice_numbers.length > 0 ? (
                <Descriptions.Item label={t("bundles.notices")} span="filled">
                  {app.notice_numbers.join("、")}
                </Descriptions.Item>
              ) : null}
              {app.delivered_at ? (
                <Descriptions.Item label={t("case.delivery")} span="filled">
                  {`${codeLabel(t, "deliveryMode", app.delivery_mode)} · ${formatDateTime(app.delivered_at)}`}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </Card>
          <Card size="small" title={<h2 className="card-title">{t("bundles.check", { count: app.problems.length })}</h2>} className="window-card">
            {app.problems.length === 0 ? (
              <p className="window-ok">{t("case.noProblems")}</p>
            ) : (
              <ol className="window-problems">
                {app.problems.map((p) => (
                  <li key={p.material}>
                    <strong>{p.material}</strong>：{p.message}
                  </li>
                ))}
              </ol>
            )}
          </Card>
          <section aria-labelledby="bundle-actions" className="window-card">
            <h2 id="bundle-actions" className="window-section-title">
              {t("case.actions")}
            </h2>
            <Steps app={app} />
          </section>
          <BundleWaybillsCard app={app} className="window-card" />
        </Col>
        <Col xs={24} xl={12}>
          <Card size="small" title={<h2 className="card-title">{t("bundles.stages")}</h2>} className="window-card">
            <CaseStages app={app} caseLink={(caseId) => `/work/window/cases/${encodeURIComponent(caseId)}`} />
          </Card>
        </Col>
      </Row>
    </div>
  );
}
