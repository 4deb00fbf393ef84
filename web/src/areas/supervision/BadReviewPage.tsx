import { useState } from "react";
import { Link, useParams } from "react-router";
import { Breadcrumb, Button, Card, Descriptions, Form, Input, Modal, Radio, Skeleton, Tag, Timeline, Typography, message as antMessage } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDate, formatDateTime } from "../../lib/format";
import { useSession } from "../../auth/useSession";
import { stepsFor, type BadReview, type Step } from "./badReviews";
import { UnitName } from "../../components/UnitName";
import "./supervision.css";

type Values = { note?: string; text?: string; reached?: boolean; upheld?: boolean; due_on?: string };

/** Steps that cannot be taken back: asked once more. */
const CONFIRM: Step[] = ["close", "transfer", "appeal_decision"];

function send(step: Step, id: string, v: Values): Promise<BadReview> {
  const path = { params: { path: { case_id: id } } };
  const note = v.note ?? "";
  switch (step) {
    case "call_back":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/call-back", { ...path, body: { reached: v.reached ?? true, note } }));
    case "call_back_request":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/call-back-request", { ...path, body: { note } }));
    case "rectify":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/rectify", { ...path, body: { note, due_on: v.due_on || null } }));
    case "rectification_done":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/rectification-done", { ...path, body: { note } }));
    case "explain":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/explain", { ...path, body: { note } }));
    case "appeal":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/appeal", { ...path, body: { note } }));
    case "appeal_decision":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/appeal-decision", { ...path, body: { upheld: v.upheld ?? false, note } }));
    case "feedback":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/feedback", { ...path, body: { text: v.text ?? "" } }));
    case "close":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/close", path));
    case "transfer":
      return unwrap(api.POST("/api/evaluation/v1/bad-reviews/{case_id}/transfer", { ...path, body: { note } }));
  }
}

/**
 * One bad-review case (差评整改): the rating, what was done, and the steps its state allows the
 * reader — call back, rectify (now or by a date), explain, appeal and its decision, feedback, close,
 * transfer to 12345.
 */
export default function BadReviewPage() {
  const { t } = useTranslation("supervision");
  const { id = "" } = useParams();
  const { claims } = useSession();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const [modal, modalHolder] = Modal.useModal();
  const [message, messageHolder] = antMessage.useMessage();
  const [step, setStep] = useState<Step | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const key = [MY, "supervision", "bad-review", id];
  const found = useQuery({
    queryKey: key,
    queryFn: () => unwrap(api.GET("/api/evaluation/v1/bad-reviews/{case_id}", { params: { path: { case_id: id } } })),
  });
  useDocumentTitle(t("bad.caseTitle"));

  if (found.isLoading) return <Skeleton active />;
  if (found.isError || !found.data)
    return (
      <div className="staff-page">
        <Link to="/work/supervision/bad-reviews">{t("bad.title")}</Link>
        <ErrorAlert error={found.error} onRetry={() => void found.refetch()} />
      </div>
    );
  const c = found.data;
  const steps = stepsFor(c, claims?.roles ?? []);

  const open = (s: Step) => {
    form.resetFields();
    form.setFieldsValue(s === "call_back" ? { reached: true } : s === "appeal_decision" ? { upheld: false } : {});
    setMessages([]);
    setStep(s);
  };
  const confirmed = (s: Step, v: Values) =>
    CONFIRM.includes(s)
      ? new Promise<boolean>((resolve) =>
          modal.confirm({
            title: t(`badConfirm.${s}`),
            content: s === "appeal_decision" ? t(v.upheld ? "badConfirm.upheld" : "badConfirm.rejected") : t("badConfirm.final"),
            okText: t(`badStep.${s}`),
            cancelText: t("cancel"),
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          }),
        )
      : Promise.resolve(true);
  const submit = async () => {
    if (!step) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!(await confirmed(step, values))) return;
    setBusy(true);
    setMessages([]);
    try {
      const updated = await send(step, c.id, values);
      queryClient.setQueryData(key, updated);
      await queryClient.invalidateQueries({ queryKey: [MY, "supervision", "bad-reviews"] });
      setStep(null);
      void message.success(t(`badDone.${step}`));
    } catch (e) {
      if (e instanceof ApiError && e.problem) setMessages(applyProblemToForm(form, e.problem, ["note", "text", "due_on", "reached", "upheld"]));
      else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  const noteRule = [{ required: true, whitespace: true, message: t("badForm.noteRequired") }];
  const needsNote = step !== null && !["close", "feedback"].includes(step);

  return (
    <div className="staff-page">
      {messageHolder}
      {modalHolder}
      <Breadcrumb items={[{ title: <Link to="/work/supervision/bad-reviews">{t("bad.title")}</Link> }, { title: t("bad.caseTitle") }]} />
      <div className="sv-head">
        <Typography.Title level={1} className="staff-title">
          {t("bad.caseTitle")}
        </Typography.Title>
        <Tag>{t(`badStatus.${c.status}`)}</Tag>
        {c.overdue ? <Tag color="error">{t("bad.overdue")}</Tag> : null}
      </div>
      <div className="sv-grid">
        <div>
          <Card size="small" className="sv-section" title={<h2 className="card-title">{t("bad.rating")}</h2>}>
            <Descriptions size="small" bordered column={{ xs: 1, sm: 1, md: 2, lg: 2, xl: 2, xxl: 2 }}>
              <Descriptions.Item label={t("bad.level")}>{t(`level.${c.level}`)}</Descriptions.Item>
              <Descriptions.Item label={t("bad.rater")}>{c.rater}</Descriptions.Item>
              <Descriptions.Item label={t("bad.comment")} span={2}>
                {c.comment || t("bad.noComment")}
              </Descriptions.Item>
              <Descriptions.Item label={t("col.unit")}>
                <UnitName code={c.unit_code} />
              </Descriptions.Item>
              <Descriptions.Item label={t("bad.deadline")}>{formatDateTime(c.deadline_at)}</Descriptions.Item>
              <Descriptions.Item label={t("bad.calledBack")}>{c.called_back_at ? formatDateTime(c.called_back_at) : t("bad.notYet")}</Descriptions.Item>
              <Descriptions.Item label={t("bad.resolution")}>
                {c.resolution ? t(`resolution.${c.resolution}`) : t("bad.notYet")}
                {c.rectify_due_on ? ` · ${t("bad.rectifyBy", { date: formatDate(c.rectify_due_on) })}` : ""}
              </Descriptions.Item>
              {c.appeal_reason ? (
                <Descriptions.Item label={t("bad.appeal")} span={2}>
                  {c.appeal_reason}
                  {c.appeal_decision ? ` · ${t(`appeal.${c.appeal_decision}`)}` : ""}
                </Descriptions.Item>
              ) : null}
              {c.feedback ? (
                <Descriptions.Item label={t("bad.feedback")} span={2}>
                  {c.feedback}
                </Descriptions.Item>
              ) : null}
              {c.response_level ? <Descriptions.Item label={t("bad.responseLevel")}>{t(`level.${c.response_level}`)}</Descriptions.Item> : null}
              {c.transferred_at ? <Descriptions.Item label={t("bad.transferred")}>{formatDateTime(c.transferred_at)}</Descriptions.Item> : null}
            </Descriptions>
          </Card>
          <Card size="small" className="sv-section" title={<h2 className="card-title">{t("bad.steps")}</h2>}>
            <Timeline
              items={c.steps.map((s, i) => ({
                key: i,
                children: (
                  <>
                    <strong>{t(`badAction.${s.action}`)}</strong> · {formatDateTime(s.at)}
                    {s.note ? <div className="muted">{s.note}</div> : null}
                  </>
                ),
              }))}
            />
          </Card>
        </div>
        <Card size="small" className="sv-section" title={<h2 className="card-title">{t("bad.handle")}</h2>}>
          {steps.length === 0 ? <p className="muted">{t("bad.nothing")}</p> : null}
          {c.real_name && !c.called_back_at && steps.includes("call_back_request") ? <p className="muted">{t("bad.callBackFirst")}</p> : null}
          <div className="sv-actions">
            {steps.map((s) => (
              <Button key={s} type={s === "call_back" || s === "feedback" || s === "close" ? "primary" : "default"} onClick={() => open(s)}>
                {t(`badStep.${s}`)}
              </Button>
            ))}
          </div>
        </Card>
      </div>

      <Modal
        open={step !== null}
        title={step ? t(`badStep.${step}`) : ""}
        okText={step ? t(`badStep.${step}`) : ""}
        cancelText={t("cancel")}
        okButtonProps={{ loading: busy }}
        onOk={() => void submit()}
        onCancel={() => setStep(null)}
        destroyOnHidden
      >
        {step ? <p className="muted">{t(`badHint.${step}`)}</p> : null}
        <ProblemAlert messages={messages} title={t("badForm.problems")} />
        <Form form={form} layout="vertical" requiredMark="optional">
          {/* The radio groups always hold a value: marked required on an outer item, so antd puts no
              aria-required on the group's plain div (axe refuses it), and named by their label. */}
          {step === "call_back" ? (
            <Form.Item label={<span id="sv-reached">{t("badForm.reached")}</span>} required>
              <Form.Item name="reached" noStyle>
                <Radio.Group
                  aria-labelledby="sv-reached"
                  options={[
                    { value: true, label: t("badForm.reachedYes") },
                    { value: false, label: t("badForm.reachedNo") },
                  ]}
                />
              </Form.Item>
            </Form.Item>
          ) : null}
          {step === "appeal_decision" ? (
            <Form.Item label={<span id="sv-upheld">{t("badForm.upheld")}</span>} required>
              <Form.Item name="upheld" noStyle>
                <Radio.Group
                  aria-labelledby="sv-upheld"
                  options={[
                    { value: true, label: t("appeal.upheld") },
                    { value: false, label: t("appeal.rejected") },
                  ]}
                />
              </Form.Item>
            </Form.Item>
          ) : null}
          {step === "rectify" ? (
            <Form.Item name="due_on" label={t("badForm.dueOn")}>
              <Input type="date" />
            </Form.Item>
          ) : null}
          {needsNote ? (
            <Form.Item name="note" label={t(`badForm.note.${step}`)} rules={noteRule}>
              <Input.TextArea rows={4} maxLength={2000} />
            </Form.Item>
          ) : null}
          {step === "feedback" ? (
            <Form.Item name="text" label={t("badForm.feedback")} rules={[{ required: true, whitespace: true, message: t("badForm.feedbackRequired") }]}>
              <Input.TextArea rows={4} maxLength={2000} />
            </Form.Item>
          ) : null}
        </Form>
      </Modal>
    </div>
  );
}
