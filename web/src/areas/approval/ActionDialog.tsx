import { useEffect, useState } from "react";
import { Form, Input, InputNumber, Modal, Radio, Select } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useErrorText } from "../../components/ErrorAlert";
import { WaybillFields } from "../fees/parts";
import { caseParcel } from "../fees/model";
import { DELIVERY_FIELDS, deliveryBody, type Application, type DeliveryMode } from "./model";

/** The actions that need a form; resume needs only a confirmation. */
export type FormAction = "record_step" | "pause" | "extend" | "approve" | "refuse" | "complete" | "deliver";

/** Steps that cannot be taken back: a second confirmation before they are sent. */
const IRREVERSIBLE: FormAction[] = ["extend", "approve", "refuse", "complete", "deliver"];

const FIELDS: Record<FormAction, string[]> = {
  record_step: ["kind", "opinion"],
  pause: ["procedure", "reason", "expected_end_on"],
  extend: ["working_days", "reason"],
  approve: ["reasons"],
  refuse: ["reasons"],
  complete: ["result_name", "result_number", "valid_until"],
  deliver: ["mode", "signed_by", "carrier", "tracking_no", "address", "locker", "recipient_name", "recipient_phone"],
};

const MODES: DeliveryMode[] = ["post", "locker", "window"];

type Values = Record<string, string | number | undefined>;

const text = (v: string | number | undefined) => (v === undefined || v === "" ? undefined : String(v));
const orNull = (v: string | number | undefined) => text(v) ?? null;

/** Send the action with the form's values; the case as it is now. */
function send(action: FormAction, id: string, v: Values): Promise<Application> {
  const path = { params: { path: { application_id: id } } };
  switch (action) {
    case "record_step":
      return unwrap(
        api.POST("/api/intake/v1/applications/{application_id}/steps", {
          ...path,
          body: { kind: (v.kind ?? "review") as "review", opinion: text(v.opinion) ?? "" },
        }),
      );
    case "pause":
      return unwrap(
        api.POST("/api/intake/v1/applications/{application_id}/pause", {
          ...path,
          body: { procedure: (v.procedure ?? "other") as "other", reason: text(v.reason) ?? "", expected_end_on: orNull(v.expected_end_on) },
        }),
      );
    case "extend":
      return unwrap(
        api.POST("/api/intake/v1/applications/{application_id}/extend", {
          ...path,
          body: { working_days: Number(v.working_days ?? 0), reason: text(v.reason) ?? "" },
        }),
      );
    case "approve":
      return unwrap(api.POST("/api/intake/v1/applications/{application_id}/approve", { ...path, body: { reasons: orNull(v.reasons) } }));
    case "refuse":
      return unwrap(api.POST("/api/intake/v1/applications/{application_id}/refuse", { ...path, body: { reasons: text(v.reasons) ?? "" } }));
    case "complete":
      return unwrap(
        api.POST("/api/intake/v1/applications/{application_id}/complete", {
          ...path,
          body: { result_name: text(v.result_name) ?? "", result_number: orNull(v.result_number), valid_until: orNull(v.valid_until) },
        }),
      );
    case "deliver":
      return unwrap(
        api.POST("/api/intake/v1/applications/{application_id}/deliver", { ...path, body: deliveryBody((v.mode ?? "post") as DeliveryMode, v) }),
      );
  }
}

/**
 * One decision step as a form in a dialog: an opinion, a special procedure, an extension, the
 * decision, the completion, the delivery of the result. Irreversible steps ask once more before they are sent; the platform's
 * problems are shown under their fields.
 */
export function ActionDialog({
  action,
  app,
  extensionLeft,
  onClose,
  onDone,
}: {
  action: FormAction | null;
  app: Application;
  extensionLeft: number;
  onClose: () => void;
  onDone: (updated: Application, action: FormAction) => void;
}) {
  const { t } = useTranslation("approval");
  const [form] = Form.useForm<Values>();
  const [modal, holder] = Modal.useModal();
  const errorText = useErrorText();
  const [messages, setMessages] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const mode = (Form.useWatch("mode", form) ?? "post") as DeliveryMode;

  useEffect(() => {
    if (action) {
      form.resetFields();
      setMessages([]);
      form.setFieldsValue(
        action === "record_step"
          ? { kind: "review" }
          : action === "pause"
            ? { procedure: "inspection" }
            : action === "complete"
              ? { result_name: app.decision === "refused" ? t("form.refusalResult") : t("form.approvalResult"), result_number: app.decision_no ?? undefined }
              : action === "deliver"
                ? { mode: "post", signed_by: app.applicant_name }
                : {},
      );
    }
  }, [action, app.applicant_name, app.decision, app.decision_no, form, t]);

  const confirmed = (a: FormAction) =>
    IRREVERSIBLE.includes(a)
      ? new Promise<boolean>((resolve) => {
          modal.confirm({
            title: t(`confirm.${a}.title`),
            content: t(`confirm.${a}.text`, { no: app.application_no }),
            okText: t(`confirm.${a}.ok`),
            okButtonProps: { danger: a === "refuse" },
            cancelText: t("cancel"),
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          });
        })
      : Promise.resolve(true);

  const submit = async () => {
    if (!action) return;
    let values: Values;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!(await confirmed(action))) return;
    setBusy(true);
    setMessages([]);
    try {
      const updated = await send(action, app.id, values);
      onDone(updated, action);
    } catch (e) {
      if (e instanceof ApiError && e.problem) setMessages(applyProblemToForm(form, e.problem, FIELDS[action]));
      else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };

  const required = (key: string) => [{ required: true, whitespace: true, message: t(`form.required.${key}`) }];

  return (
    <>
      {holder}
      <Modal
        open={action !== null}
        title={action ? t(`action.${action}`) : ""}
        okText={action ? t(`form.submit.${action}`) : ""}
        cancelText={t("cancel")}
        okButtonProps={{ danger: action === "refuse", loading: busy }}
        onOk={() => void submit()}
        onCancel={onClose}
        destroyOnHidden
        width={560}
      >
        {action ? <p className="muted">{t(`form.hint.${action}`, { left: extensionLeft })}</p> : null}
        <ProblemAlert messages={messages} title={t("form.problems")} />
        <Form form={form} layout="vertical" requiredMark="optional" onFinish={() => void submit()}>
          {action === "record_step" ? (
            <>
              <Form.Item name="kind" label={t("form.kind")} rules={[{ required: true }]}>
                <Select
                  options={(["review", "inspection_report", "decide", "other"] as const).map((k) => ({ value: k, label: t(`stepKind.${k}`) }))}
                />
              </Form.Item>
              <Form.Item name="opinion" label={t("form.opinion")} rules={required("opinion")}>
                <Input.TextArea rows={4} maxLength={2000} showCount />
              </Form.Item>
            </>
          ) : null}
          {action === "pause" ? (
            <>
              <Form.Item name="procedure" label={t("form.procedure")} rules={[{ required: true }]}>
                <Select
                  options={(["hearing", "inspection", "expert_review", "assessment", "other"] as const).map((k) => ({ value: k, label: t(`procedure.${k}`) }))}
                />
              </Form.Item>
              <Form.Item name="reason" label={t("form.pauseReason")} rules={required("reason")}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
              <Form.Item name="expected_end_on" label={t("form.expectedEnd")}>
                <Input type="date" />
              </Form.Item>
            </>
          ) : null}
          {action === "extend" ? (
            <>
              <Form.Item
                name="working_days"
                label={t("form.extendDays")}
                rules={[{ required: true, message: t("form.required.days") }]}
              >
                <InputNumber min={1} max={Math.max(1, extensionLeft)} precision={0} style={{ width: 160 }} />
              </Form.Item>
              <Form.Item name="reason" label={t("form.extendReason")} rules={required("reason")}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
          {action === "approve" ? (
            <Form.Item name="reasons" label={t("form.approveReasons")}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
          ) : null}
          {action === "refuse" ? (
            <Form.Item name="reasons" label={t("form.refuseReasons")} rules={required("reasons")}>
              <Input.TextArea rows={4} maxLength={2000} />
            </Form.Item>
          ) : null}
          {action === "complete" ? (
            <>
              <Form.Item name="result_name" label={t("form.resultName")} rules={required("resultName")}>
                <Input maxLength={200} />
              </Form.Item>
              <Form.Item name="result_number" label={t("form.resultNumber")}>
                <Input maxLength={100} />
              </Form.Item>
              <Form.Item name="valid_until" label={t("form.validUntil")}>
                <Input type="date" />
              </Form.Item>
            </>
          ) : null}
          {action === "deliver" ? (
            <>
              {/* Marked required (it always has a value) without aria-required on the group's div, which axe refuses. */}
              <Form.Item label={<span id="approval-delivery-mode">{t("form.deliveryMode")}</span>} required>
                <Form.Item name="mode" noStyle>
                  <Radio.Group aria-labelledby="approval-delivery-mode" options={MODES.map((m) => ({ value: m, label: t(`form.mode.${m}`) }))} />
                </Form.Item>
              </Form.Item>
              {/* Only the chosen mode's fields: a field of another mode would be left out of the body anyway. */}
              {/* By post: the courier's waybill made for the case (recipient, phone and address first). */}
              {mode === "post" ? <WaybillFields parcel={caseParcel(app)} form={form} /> : null}
              {(mode === "post" ? [] : DELIVERY_FIELDS[mode]).map((field) => (
                <Form.Item key={field} name={field} label={t(`form.delivery.${field}`)} rules={required(`delivery.${field}`)} extra={field === "locker" ? t("form.lockerHint") : undefined}>
                  <Input maxLength={200} />
                </Form.Item>
              ))}
            </>
          ) : null}
        </Form>
      </Modal>
    </>
  );
}
