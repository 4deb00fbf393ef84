import { useState } from "react";
import { Alert, Checkbox, Form, Input, InputNumber, Modal, Radio, Select, Spin, type FormInstance } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { formatDateTime } from "../../lib/format";
import { chosen } from "../hotline/rules";
import { DIVERSION_REASONS, LIMIT_UNITS, SATISFACTION, FINAL_ACTIONS, mayMergeInto, openLeadDispatch, type DeskAction, type Ticket } from "./model";
import { UnitName, useCategoryOptions, useDispatchUnits, useViewer } from "./parts";

interface Values {
  mode?: "catalogue" | "manual";
  unit_code?: string;
  co_unit_codes?: string[];
  category_code?: string;
  complex?: boolean;
  note?: string;
  reason?: string;
  suggested_unit_code?: string;
  reply?: string;
  amount?: number;
  unit?: (typeof LIMIT_UNITS)[number];
  resolved?: boolean;
  satisfaction?: (typeof SATISFACTION)[number];
  kb_entry_id?: string;
  into_ticket_id?: string;
  kb_q?: string;
}

const trimmed = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

/** The knowledge-base entry to answer an enquiry with, searched inside the dialog. */
function KbPicker({ initial }: { initial: string }) {
  const { t } = useTranslation("hotline-desk");
  const [q, setQ] = useState(initial.slice(0, 200));
  const hits = useQuery({
    queryKey: ["hotline-desk", "kb", q],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/kb/search", { params: { query: { q, limit: 8 } } })),
    enabled: q.trim().length >= 1,
  });
  return (
    <>
      <Form.Item label={t("actions.kbSearch")}>
        <Input.Search defaultValue={q} onSearch={(v) => setQ(v.trim())} enterButton={t("actions.search")} maxLength={200} />
      </Form.Item>
      {hits.isFetching ? <Spin size="small" /> : null}
      <Form.Item name="kb_entry_id" label={<span id="hd-kb">{t("actions.kbEntry")}</span>} rules={[chosen(t("actions.kbRequired"))]}>
        <Radio.Group aria-labelledby="hd-kb" className="desk-radio-column">
          {(hits.data?.items ?? []).map((h) => (
            <Radio key={h.id} value={h.id}>
              <strong>{h.question}</strong>
              <div className="muted desk-clamp">{h.answer}</div>
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      {hits.data && hits.data.items.length === 0 ? <p className="muted">{t("call.kbNone")}</p> : null}
    </>
  );
}

/** The main ticket a duplicate is merged into: the likely duplicates first, any other open ticket by search. */
function MergePicker({ ticket, form }: { ticket: Ticket; form: FormInstance<Values> }) {
  const { t } = useTranslation("hotline-desk");
  const chosenId = Form.useWatch("into_ticket_id", form);
  const likely = useQuery({
    queryKey: [MY, "hotline-desk", "duplicates", ticket.id],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/tickets/{ticket_id}/duplicates", { params: { path: { ticket_id: ticket.id }, query: { limit: 5 } } })),
  });
  const [q, setQ] = useState("");
  const found = useQuery({
    queryKey: [MY, "hotline-desk", "merge-search", q],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/tickets", { params: { query: { q, limit: 20 } } })),
    enabled: q.length >= 2,
  });
  const likelyIds = new Set((likely.data?.items ?? []).map((d) => d.id));
  const others = (found.data?.items ?? []).filter((x) => x.id !== ticket.id && !likelyIds.has(x.id) && mayMergeInto(x.status));
  return (
    <>
      <Form.Item name="into_ticket_id" label={<span id="hd-merge">{t("actions.mergeInto")}</span>} rules={[chosen(t("actions.mergeRequired"))]}>
        <Radio.Group aria-labelledby="hd-merge" className="desk-radio-column">
          {(likely.data?.items ?? []).map((d) => (
            <Radio key={d.id} value={d.id}>
              <strong>
                {d.number} {d.title}
              </strong>
              <div className="muted">
                {t("actions.likeness", { percent: Math.round(d.score * 100) })} · {d.reasons.map((r) => t(`duplicateReason.${r}`)).join("、")}
              </div>
              <div className="muted desk-clamp">
                {formatDateTime(d.created_at)} {d.address ?? ""}
              </div>
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
      {likely.isPending ? <Spin size="small" /> : null}
      {likely.data && likely.data.items.length === 0 ? <p className="muted">{t("actions.noDuplicates")}</p> : null}
      <Form.Item label={t("actions.mergeSearch")} extra={t("actions.mergeHint")} htmlFor="hd-merge-search">
        <Select
          id="hd-merge-search"
          showSearch
          allowClear
          filterOption={false}
          onSearch={(v) => setQ(v.trim())}
          value={chosenId && !likelyIds.has(chosenId) ? chosenId : undefined}
          onChange={(v: string | undefined) => form.setFieldValue("into_ticket_id", v)}
          loading={found.isFetching}
          notFoundContent={q.length >= 2 ? t("actions.mergeNone") : t("actions.mergeType")}
          options={others.map((x) => ({ value: x.id, label: `${x.number} ${x.title}` }))}
          placeholder={t("actions.mergeSearchPlaceholder")}
        />
      </Form.Item>
    </>
  );
}

/** One action on a ticket as a dialog: its form, a confirmation for what cannot be undone, the platform's answer. */
export function ActionDialog({
  ticket,
  action,
  suggestedUnit,
  onClose,
  onDone,
}: {
  ticket: Ticket;
  action: DeskAction;
  /** The unit a disputing unit named (退单时建议的单位): offered for the re-dispatch. */
  suggestedUnit?: string;
  onClose: () => void;
  onDone: (t: Ticket) => void;
}) {
  const { t } = useTranslation("hotline-desk");
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const errorText = useErrorText();
  const { options: categoryOptions } = useCategoryOptions();
  const units = useDispatchUnits();
  const { unit } = useViewer();
  const mode = Form.useWatch("mode", form);
  const resolved = Form.useWatch("resolved", form);
  const path = { params: { path: { ticket_id: ticket.id } } };
  const returnedTo = [...ticket.dispatches].reverse().find((d) => d.returned_at);

  const send = async (v: Values): Promise<Ticket> => {
    const note = trimmed(v.note);
    switch (action) {
      case "dispatch":
        return unwrap(
          api.POST("/api/hotline/v1/tickets/{ticket_id}/dispatch", {
            ...path,
            body: {
              ...(v.mode === "manual" ? { unit_code: v.unit_code, co_unit_codes: v.co_unit_codes ?? [] } : {}),
              ...(v.category_code && v.category_code !== ticket.category_code ? { category_code: v.category_code } : {}),
              ...(Boolean(v.complex) !== ticket.complex ? { complex: Boolean(v.complex) } : {}),
              ...(note ? { note } : {}),
            },
          }),
        );
      case "respond":
        return unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/respond", { ...path, body: note ? { note } : {} }));
      case "reply":
        return unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/reply", { ...path, body: { reply: (v.reply ?? "").trim() } }));
      case "extend":
        return unwrap(
          api.POST("/api/hotline/v1/tickets/{ticket_id}/extend", { ...path, body: { amount: v.amount ?? 1, unit: v.unit ?? "working_days", reason: (v.reason ?? "").trim() } }),
        );
      case "return":
        return unwrap(
          api.POST("/api/hotline/v1/tickets/{ticket_id}/return", {
            ...path,
            body: { reason: (v.reason ?? "").trim(), ...(v.suggested_unit_code ? { suggested_unit_code: v.suggested_unit_code } : {}) },
          }),
        );
      case "call_back":
        return unwrap(
          api.POST("/api/hotline/v1/tickets/{ticket_id}/call-back", {
            ...path,
            body: { resolved: Boolean(v.resolved), satisfaction: v.satisfaction ?? "satisfied", ...(note ? { note } : {}) },
          }),
        );
      case "reopen":
        return unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/reopen", { ...path, body: { reason: (v.reason ?? "").trim() } }));
      case "close":
        return unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/close", { ...path, body: note ? { note } : {} }));
      case "answer":
        return unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/answer", { ...path, body: { kb_entry_id: v.kb_entry_id ?? "", ...(note ? { note } : {}) } }));
      case "divert":
        return unwrap(
          api.POST("/api/hotline/v1/tickets/{ticket_id}/divert", {
            ...path,
            body: { reason: (v.reason ?? "outside_duties") as (typeof DIVERSION_REASONS)[number], note: (v.note ?? "").trim() },
          }),
        );
      case "merge":
        return unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/merge", { ...path, body: { into_ticket_id: v.into_ticket_id ?? "", ...(note ? { note } : {}) } }));
    }
  };

  const [confirming, setConfirming] = useState<Values | null>(null);
  const submit = async (v: Values) => {
    setBusy(true);
    setMessages([]);
    try {
      onDone(await send(v));
    } catch (error) {
      if (error instanceof ApiError && error.problem && error.status !== 429) {
        setMessages(applyProblemToForm(form, error.problem, ["unit_code", "co_unit_codes", "category_code", "note", "reason", "suggested_unit_code", "reply", "amount", "unit", "resolved", "satisfaction", "kb_entry_id", "into_ticket_id"]));
      } else {
        setMessages([errorText(error)]);
      }
      setConfirming(null);
      setBusy(false);
    }
  };
  const onOk = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (FINAL_ACTIONS.includes(action) && !confirming) {
      setConfirming(v);
      return;
    }
    await submit(confirming ?? v);
  };

  const lead = openLeadDispatch(ticket, unit);
  const noteRule = { min: 2, message: t("actions.noteMin") };
  const reasonRules = [{ required: true, whitespace: true, message: t("actions.reasonRequired") }, { min: 2, message: t("actions.noteMin") }];
  const initial: Values = {
    mode: suggestedUnit ? "manual" : "catalogue",
    unit_code: suggestedUnit,
    category_code: ticket.category_code ?? undefined,
    complex: ticket.complex,
    unit: "working_days",
    amount: 3,
    resolved: true,
    satisfaction: "satisfied",
  };

  return (
    <Modal
      open
      title={t(`actions.${action}Title`, { number: ticket.number })}
      okText={confirming ? t("actions.confirmOk") : t(`actions.${action}`)}
      cancelText={confirming ? t("actions.back") : t("actions.cancel")}
      okButtonProps={{ loading: busy, danger: Boolean(confirming) }}
      onOk={() => void onOk()}
      onCancel={() => (confirming ? setConfirming(null) : onClose())}
      maskClosable={false}
      wrapClassName="desk-modal"
      width={action === "answer" || action === "dispatch" ? 640 : 520}
    >
      <ProblemAlert messages={messages} title={t("actions.failed")} />
      {confirming ? <Alert type="warning" showIcon className="desk-alert" message={t(`actions.${action}Confirm`)} role="alert" /> : null}
      <div hidden={Boolean(confirming)}>
        <Form<Values> form={form} layout="vertical" requiredMark={false} initialValues={initial} disabled={busy}>
          {action === "dispatch" ? (
            <>
              {ticket.status === "returned" && returnedTo ? (
                <Alert
                  type="info"
                  showIcon
                  className="desk-alert"
                  message={
                    <>
                      {t("actions.returnedBy")} <UnitName code={returnedTo.unit_code} />
                    </>
                  }
                  description={returnedTo.return_reason}
                />
              ) : null}
              <Form.Item name="mode" label={<span id="hd-mode">{t("actions.dispatchMode")}</span>}>
                <Radio.Group aria-labelledby="hd-mode" className="desk-radio-column">
                  <Radio value="catalogue">{t("actions.byCatalogue")}</Radio>
                  <Radio value="manual">{t("actions.byHand")}</Radio>
                </Radio.Group>
              </Form.Item>
              {mode === "manual" ? (
                <>
                  <Form.Item name="unit_code" label={t("actions.leadUnit")} rules={[chosen(t("actions.leadUnitRequired"))]}>
                    <Select showSearch optionFilterProp="label" options={units.options} loading={units.loading} placeholder={t("call.choose")} />
                  </Form.Item>
                  <Form.Item name="co_unit_codes" label={t("actions.coUnits")}>
                    <Select mode="multiple" showSearch optionFilterProp="label" options={units.options} loading={units.loading} placeholder={t("actions.optional")} />
                  </Form.Item>
                </>
              ) : null}
              <Form.Item name="category_code" label={t("actions.category")} extra={t("actions.categoryHint")}>
                <Select allowClear showSearch optionFilterProp="label" options={categoryOptions} placeholder={t("call.choose")} />
              </Form.Item>
              <Form.Item name="complex" valuePropName="checked">
                <Checkbox>{t("call.complex")}</Checkbox>
              </Form.Item>
              <Form.Item name="note" label={t("actions.note")} rules={[noteRule]}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
          {action === "respond" ? (
            <>
              <p className="muted">{t("actions.respondHint", { due: formatDateTime(ticket.response_due_at) })}</p>
              <Form.Item name="note" label={t("actions.respondNote")} rules={[noteRule]}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
          {action === "reply" ? (
            <Form.Item name="reply" label={t("actions.replyText")} extra={t("actions.replyHint")} rules={[{ required: true, whitespace: true, message: t("actions.replyRequired") }]}>
              <Input.TextArea rows={6} maxLength={4000} showCount />
            </Form.Item>
          ) : null}
          {action === "extend" ? (
            <>
              <p className="muted">{t("actions.extendHint", { due: formatDateTime(ticket.due_at) })}</p>
              <div className="desk-row">
                <Form.Item name="amount" label={t("actions.amount")} rules={[{ required: true, message: t("actions.amountRequired") }]}>
                  <InputNumber min={1} max={365} className="desk-number-input" />
                </Form.Item>
                <Form.Item name="unit" label={t("actions.limitUnit")}>
                  <Select options={LIMIT_UNITS.map((u) => ({ value: u, label: t(`limitUnit.${u}`) }))} />
                </Form.Item>
              </div>
              <Form.Item name="reason" label={t("actions.reason")} rules={reasonRules}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
          {action === "return" ? (
            <>
              <p className="muted">{t("actions.returnHint", { until: formatDateTime(lead?.dispute_deadline) })}</p>
              <Form.Item name="reason" label={t("actions.returnReason")} rules={reasonRules}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
              <Form.Item name="suggested_unit_code" label={t("actions.suggestedUnit")}>
                <Select allowClear showSearch optionFilterProp="label" options={units.options} loading={units.loading} placeholder={t("actions.optional")} />
              </Form.Item>
            </>
          ) : null}
          {action === "call_back" ? (
            <>
              <Form.Item name="resolved" label={<span id="hd-resolved">{t("actions.resolved")}</span>}>
                <Radio.Group aria-labelledby="hd-resolved" options={[{ value: true, label: t("actions.resolvedYes") }, { value: false, label: t("actions.resolvedNo") }]} />
              </Form.Item>
              <Form.Item name="satisfaction" label={<span id="hd-satisfaction">{t("actions.satisfaction")}</span>}>
                <Radio.Group aria-labelledby="hd-satisfaction" options={SATISFACTION.map((s) => ({ value: s, label: t(`satisfaction.${s}`) }))} />
              </Form.Item>
              {resolved === false ? <p className="muted">{t("actions.unresolvedHint")}</p> : null}
              <Form.Item name="note" label={t("actions.callBackNote")} rules={[noteRule]}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
          {action === "reopen" ? (
            <Form.Item name="reason" label={t("actions.reopenReason")} rules={reasonRules}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          ) : null}
          {action === "close" ? (
            <Form.Item name="note" label={t("actions.closeNote")} rules={[noteRule]}>
              <Input.TextArea rows={3} maxLength={1000} />
            </Form.Item>
          ) : null}
          {action === "answer" ? (
            <>
              <KbPicker initial={`${ticket.title}`} />
              <Form.Item name="note" label={t("actions.note")} rules={[noteRule]}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
          {action === "divert" ? (
            <>
              <Form.Item name="reason" label={<span id="hd-divert">{t("actions.divertReason")}</span>} rules={[chosen(t("actions.divertReasonRequired"))]}>
                <Radio.Group aria-labelledby="hd-divert" className="desk-radio-column" options={DIVERSION_REASONS.map((r) => ({ value: r, label: t(`diversion.${r}`) }))} />
              </Form.Item>
              <Form.Item name="note" label={t("actions.divertNote")} rules={reasonRules}>
                <Input.TextArea rows={3} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
          {action === "merge" ? (
            <>
              <MergePicker ticket={ticket} form={form} />
              <Form.Item name="note" label={t("actions.note")} rules={[noteRule]}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </>
          ) : null}
        </Form>
      </div>
    </Modal>
  );
}
