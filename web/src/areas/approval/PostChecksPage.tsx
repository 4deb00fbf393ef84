import { useState } from "react";
import { Link } from "react-router";
import { Alert, Button, Form, Grid, Input, List, Modal, Radio, Segmented, Table, Tag, Typography } from "antd";
import { AuditOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDate, formatDateTime } from "../../lib/format";
import { districtToday } from "../window/model";
import { daysUntil, POST_CHECK_TABS, type PostCheck, type PostCheckTab } from "./postChecks";
import "./approval.css";

type Status = components["schemas"]["intake__PostCheckRead"]["status"];
const KEY = (tab: PostCheckTab) => [MY, "approval", "post-checks", tab] as const;

/** 核查结果: 属实 closes the check; 承诺不实 revokes the decision — said before it is confirmed. */
function ResultDialog({ check, onClose }: { check: PostCheck; onClose: () => void }) {
  const { t } = useTranslation("approval");
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ held: "held" | "false"; findings: string }>();
  const held = Form.useWatch("held", form);
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    setBusy(true);
    setMessages([]);
    try {
      await unwrap(
        api.POST("/api/intake/v1/post-checks/{check_id}/result", {
          params: { path: { check_id: check.id } },
          body: { commitment_held: v.held === "held", findings: v.findings.trim() },
        }),
      );
      await queryClient.invalidateQueries({ queryKey: [MY, "approval"] });
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.problem) setMessages(applyProblemToForm(form, e.problem, ["findings"], { "body.commitment_held": "held" }));
      else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  const untrue = held === "false";
  return (
    <Modal
      open
      title={t("postChecks.dialogTitle", { no: check.application_no })}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={busy}
      okText={untrue ? t("postChecks.confirmUntrue") : t("postChecks.confirmHeld")}
      okButtonProps={{ danger: untrue, disabled: !held, className: untrue ? "approval-danger-ok" : undefined }}
      cancelText={t("cancel")}
      destroyOnClose
    >
      <p className="muted">{t("postChecks.dialogCase", { item: check.item_name, applicant: check.applicant_name, decided: formatDateTime(check.decided_at) })}</p>
      <Form form={form} layout="vertical" name="post-check" requiredMark={false}>
        <Form.Item
          name="held"
          label={t("postChecks.outcome")}
          // A validator, not `required`: antd would put aria-required on the group's wrapper, which has no role.
          rules={[{ validator: (_, v?: string) => (v ? Promise.resolve() : Promise.reject(new Error(t("postChecks.outcomeRequired")))) }]}
        >
          <Radio.Group className="approval-outcomes">
            <Radio value="held">{t("postChecks.held")}</Radio>
            <Radio value="false">{t("postChecks.untrue")}</Radio>
          </Radio.Group>
        </Form.Item>
        {untrue ? <Alert type="error" showIcon role="alert" className="approval-revoke-warning" message={t("postChecks.revokeWarning")} description={t("postChecks.revokeWarningDetail")} /> : null}
        <Form.Item name="findings" label={t("postChecks.findings")} extra={t("postChecks.findingsHint")} rules={[{ required: true, whitespace: true, message: t("postChecks.findingsRequired") }]}>
          <Input.TextArea rows={4} maxLength={4000} showCount />
        </Form.Item>
      </Form>
      <ProblemAlert messages={messages} title={t("postChecks.problems")} />
    </Modal>
  );
}

function StatusTag({ status }: { status: Status }) {
  const { t } = useTranslation("approval");
  return <Tag color={{ pending: "blue", passed: "green", failed: "red" }[status]}>{t(`postChecks.status.${status}`)}</Tag>;
}

function Due({ check }: { check: PostCheck }) {
  const { t } = useTranslation("approval");
  const days = daysUntil(check.due_on, districtToday());
  return (
    <>
      <div>{formatDate(check.due_on)}</div>
      {check.status === "pending" ? (
        <div className={days < 0 ? "approval-overdue" : days <= 3 ? "approval-soon" : "muted"}>
          {days < 0 ? t("postChecks.overdue", { days: -days }) : t("postChecks.left", { days })}
        </div>
      ) : null}
    </>
  );
}

/** 事后核查: the unit's post-checks of cases decided on commitment, soonest due first, and their results. */
export default function PostChecksPage() {
  const { t } = useTranslation("approval");
  useDocumentTitle(t("postChecks.title"));
  const [tab, setTab] = useState<PostCheckTab>("pending");
  const [open, setOpen] = useState<PostCheck | null>(null);
  const screens = Grid.useBreakpoint();
  const phone = screens.md === false;
  const list = useQuery({
    queryKey: KEY(tab),
    queryFn: () => unwrap(api.GET("/api/intake/v1/post-checks", { params: { query: { ...(tab === "all" ? {} : { status: tab }), limit: 200 } } })),
  });
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("postChecks.title")}
      </Typography.Title>
      <p className="muted approval-hint">{t("postChecks.hint")}</p>
      <div className="staff-toolbar">
        <Segmented<PostCheckTab> aria-label={t("postChecks.tabs")} value={tab} onChange={setTab} options={POST_CHECK_TABS.map((v) => ({ value: v, label: t(`postChecks.tab.${v}`) }))} />
      </div>
      {list.error ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {phone ? (
        <List<PostCheck>
          className="approval-post-checks"
          loading={list.isPending}
          dataSource={list.data?.items ?? []}
          rowKey="id"
          locale={{ emptyText: t("postChecks.none") }}
          renderItem={(c) => (
            <List.Item>
              <div className="approval-post-check">
                <div className="approval-post-check-head">
                  <Link to={`/work/approval/cases/${encodeURIComponent(c.application_id)}`}>{c.item_name}</Link>
                  <StatusTag status={c.status} />
                </div>
                <div className="muted">
                  {c.application_no} · {c.applicant_name} · {t("postChecks.decided")} {formatDateTime(c.decided_at)}
                </div>
                <div className="approval-post-check-due">
                  <span>{t("postChecks.due")}：</span>
                  <Due check={c} />
                </div>
                {c.status === "pending" ? (
                  <Button type="primary" icon={<AuditOutlined aria-hidden />} onClick={() => setOpen(c)} aria-label={t("postChecks.recordFor", { no: c.application_no })}>
                    {t("postChecks.record")}
                  </Button>
                ) : (
                  <>
                    <div className="approval-findings">{c.findings}</div>
                    {c.revocation_no ? <div className="approval-overdue">{t("postChecks.revocationNo", { no: c.revocation_no })}</div> : null}
                  </>
                )}
              </div>
            </List.Item>
          )}
        />
      ) : null}
      {phone ? null : <Table<PostCheck>
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 860 }}
        locale={{ emptyText: t("postChecks.none") }}
        columns={[
          {
            title: t("postChecks.case"),
            key: "case",
            render: (_: unknown, c) => (
              <>
                <Link to={`/work/approval/cases/${encodeURIComponent(c.application_id)}`}>{c.item_name}</Link>
                <div className="muted">{c.application_no}</div>
              </>
            ),
          },
          { title: t("postChecks.applicant"), dataIndex: "applicant_name" },
          { title: t("postChecks.decided"), dataIndex: "decided_at", render: (v: string | null) => formatDateTime(v) },
          { title: t("postChecks.due"), key: "due", render: (_: unknown, c) => <Due check={c} /> },
          { title: t("postChecks.state"), dataIndex: "status", render: (s: Status) => <StatusTag status={s} /> },
          {
            title: t("postChecks.result"),
            key: "result",
            render: (_: unknown, c) =>
              c.status === "pending" ? (
                <Button size="small" type="primary" icon={<AuditOutlined aria-hidden />} onClick={() => setOpen(c)} aria-label={t("postChecks.recordFor", { no: c.application_no })}>
                  {t("postChecks.record")}
                </Button>
              ) : (
                <>
                  <div className="approval-findings">{c.findings}</div>
                  {c.revocation_no ? <div className="approval-overdue">{t("postChecks.revocationNo", { no: c.revocation_no })}</div> : null}
                  <div className="muted">{formatDateTime(c.checked_at)}</div>
                </>
              ),
          },
        ]}
      />}
      {open ? <ResultDialog check={open} onClose={() => setOpen(null)} /> : null}
    </div>
  );
}
