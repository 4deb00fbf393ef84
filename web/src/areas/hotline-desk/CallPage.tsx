import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate } from "react-router";
import { Alert, Button, Card, Checkbox, Empty, Form, Input, InputNumber, Modal, Radio, Select, Spin, Tag, Typography } from "antd";
import { BookOutlined, CopyOutlined, ForkOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { chosen } from "../hotline/rules";
import {
  DIVERSION_REASONS,
  REQUEST_TYPES,
  callBody,
  duplicateCandidates,
  kbQuery,
  type CallValues,
  type Category,
  type DiversionReason,
  type KbHit,
  type Ticket,
} from "./model";
import { StatusTag, UnitName, useCategoryOptions, useTicketsByStatus } from "./parts";
import "./desk.css";

const FIELDS = [
  "caller_name",
  "caller_phone",
  "anonymous",
  "request_type",
  "category_code",
  "street_code",
  "community_code",
  "address",
  "title",
  "description",
  "urgent",
  "complex",
  "auto_dispatch",
];

/** `value`, once it has not changed for `ms`. */
function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const id = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(id);
  }, [value, ms]);
  return settled;
}

type Attribute = Category["attributes"][number];

function AttributeField({ attr }: { attr: Attribute }) {
  const { t } = useTranslation("hotline-desk");
  const name = ["attributes", attr.code];
  const message = t("call.attributeRequired", { name: attr.description });
  if (attr.datatype === "singlevaluelist" || attr.datatype === "multivaluelist") {
    return (
      <Form.Item name={name} label={attr.description} rules={attr.required ? [chosen(message)] : []}>
        <Select
          mode={attr.datatype === "multivaluelist" ? "multiple" : undefined}
          allowClear
          placeholder={t("call.choose")}
          options={attr.values.map((v) => ({ value: v.key, label: v.name }))}
        />
      </Form.Item>
    );
  }
  const rules = attr.required ? [{ required: true, message }] : [];
  return (
    <Form.Item name={name} label={attr.description} rules={rules}>
      {attr.datatype === "number" ? <InputNumber className="desk-number-input" /> : <Input />}
    </Form.Item>
  );
}

/** What the caller may be helped with at once: published knowledge-base entries matching their words. */
function Suggestions({ query, onAnswer, busy }: { query: string; onAnswer: (hit: KbHit) => void; busy: boolean }) {
  const { t } = useTranslation("hotline-desk");
  const [open, setOpen] = useState<string | null>(null);
  const hits = useQuery({
    queryKey: ["hotline-desk", "kb", query],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/kb/search", { params: { query: { q: query, limit: 5 } } })),
    enabled: query.length >= 2,
    staleTime: 60_000,
  });
  return (
    <Card size="small" className="desk-side-card" title={<h2 className="desk-card-title"><BookOutlined aria-hidden /> {t("call.kbTitle")}</h2>}>
      <div aria-live="polite">
        {query.length < 2 ? <p className="muted">{t("call.kbHint")}</p> : null}
        {hits.isFetching && !hits.data ? <Spin size="small" /> : null}
        {hits.isError ? <p className="muted">{t("call.kbFailed")}</p> : null}
        {hits.data && hits.data.items.length === 0 ? <p className="muted">{t("call.kbNone")}</p> : null}
        {hits.data && hits.data.items.length > 0 ? (
          <ul className="desk-hits" aria-label={t("call.kbTitle")}>
            {hits.data.items.map((h) => (
              <li key={h.id} className="desk-hit">
                <div className="desk-hit-q">{h.question}</div>
                <div className={open === h.id ? "desk-hit-a prewrap" : "desk-hit-a desk-clamp"}>{h.answer}</div>
                <div className="desk-hit-actions">
                  <button type="button" className="link-button" onClick={() => setOpen(open === h.id ? null : h.id)} aria-expanded={open === h.id}>
                    {open === h.id ? t("call.kbLess") : t("call.kbMore")}
                  </button>
                  <span className="muted">{t("call.kbUsed", { count: h.usage_count })}</span>
                  <Button size="small" onClick={() => onAnswer(h)} disabled={busy}>
                    {t("call.kbAnswer")}
                  </Button>
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </Card>
  );
}

/** Open tickets that may be the same request: the agent merges the call into one of them. */
function Duplicates({ draft, onMerge, busy }: { draft: CallValues; onMerge: (ticket: Ticket) => void; busy: boolean }) {
  const { t } = useTranslation("hotline-desk");
  const open = useTicketsByStatus(["registered", "dispatched", "returned", "in_progress"], "open-for-duplicates");
  const candidates = useMemo(() => duplicateCandidates(open.data?.items ?? [], draft), [open.data, draft]);
  return (
    <Card size="small" className="desk-side-card" title={<h2 className="desk-card-title"><CopyOutlined aria-hidden /> {t("call.dupTitle")}</h2>}>
      <div aria-live="polite">
        {candidates.length === 0 ? <p className="muted">{t("call.dupNone")}</p> : null}
        <ul className="desk-hits">
          {candidates.map(({ ticket, reasons }) => (
            <li key={ticket.id} className="desk-hit">
              <div className="desk-hit-q">
                <Link to={`/work/hotline/tickets/${encodeURIComponent(ticket.id)}`} target="_blank" rel="noopener">
                  {ticket.number}
                </Link>{" "}
                {ticket.title}
              </div>
              <div className="muted">
                <StatusTag status={ticket.status} /> {formatDateTime(ticket.created_at)} · <UnitName code={ticket.community_code ?? ticket.street_code} />
              </div>
              <div className="desk-hit-actions">
                {reasons.map((r) => (
                  <Tag key={r}>{t(`call.dupReason.${r}`)}</Tag>
                ))}
                <Button size="small" onClick={() => onMerge(ticket)} disabled={busy}>
                  {t("call.merge")}
                </Button>
              </div>
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}

/** The agent's call screen (接听登记): register while on the call, with answers and duplicates alongside. */
export default function CallPage() {
  const { t } = useTranslation("hotline-desk");
  useDocumentTitle(t("call.title"));
  const [form] = Form.useForm<CallValues>();
  const navigate = useNavigate();
  const client = useQueryClient();
  const errorText = useErrorText();
  const [messages, setMessages] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [half, setHalf] = useState<{ id: string; number: string; error: string } | null>(null);
  const [diverting, setDiverting] = useState(false);
  const [divertForm] = Form.useForm<{ reason?: DiversionReason; note?: string }>();
  const [modal, modalHolder] = Modal.useModal();
  const { categories, options: categoryOptions, byCode } = useCategoryOptions();
  const values = Form.useWatch([], form) as CallValues | undefined;
  const streetCode = Form.useWatch("street_code", form);
  const anonymous = Form.useWatch("anonymous", form);
  const category = values?.category_code ? byCode.get(values.category_code) : undefined;
  const query = useDebounced(kbQuery(values?.title, values?.description), 400);
  const draft = useDebounced(
    useMemo(
      () => ({
        caller_phone: values?.caller_phone,
        category_code: values?.category_code,
        street_code: values?.street_code,
        community_code: values?.community_code,
        description: values?.description,
      }),
      [values?.caller_phone, values?.category_code, values?.street_code, values?.community_code, values?.description],
    ),
    400,
  );

  const streets = useQuery({
    queryKey: ["org-units", "street"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind: "street", limit: 200 } } })),
    staleTime: 10 * 60_000,
  });
  const street = streets.data?.items.find((s) => s.code === streetCode);
  const communities = useQuery({
    queryKey: ["org-units", "community", street?.id],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind: "community", parent_id: street?.id ?? "", limit: 200 } } })),
    enabled: Boolean(street),
    staleTime: 10 * 60_000,
  });

  const fail = (error: unknown) => {
    if (error instanceof ApiError && error.problem && error.status !== 429) {
      const fields: (string | (string | number)[])[] = [...FIELDS, ...(category?.attributes ?? []).map((a) => ["attributes", a.code])];
      setMessages(applyProblemToForm(form, error.problem, fields));
    } else {
      setMessages([errorText(error)]);
    }
  };

  /** Register the call; then, when the agent settles it on the call, the settling step. */
  const register = async (then?: { label: string; run: (ticket: Ticket) => Promise<unknown> }, requestType?: CallValues["request_type"]) => {
    let valid: CallValues;
    try {
      valid = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setMessages([]);
    setHalf(null);
    let ticket: Ticket;
    try {
      const body = callBody({ ...valid, ...(requestType ? { request_type: requestType } : {}) }, category, Boolean(then));
      ticket = await unwrap(api.POST("/api/hotline/v1/tickets", { body }));
    } catch (error) {
      fail(error);
      setBusy(false);
      return;
    }
    void client.invalidateQueries({ queryKey: [MY, "hotline-desk"] });
    if (then) {
      try {
        await then.run(ticket);
      } catch (error) {
        // Registered, but not settled: the agent finishes it on the ticket's page.
        setHalf({ id: ticket.id, number: ticket.number, error: `${then.label}：${errorText(error)}` });
        setBusy(false);
        return;
      }
    }
    navigate(`/work/hotline/tickets/${encodeURIComponent(ticket.id)}?new=1`);
  };

  const answerWith = (hit: KbHit) => {
    modal.confirm({
      title: t("call.answerConfirm"),
      content: (
        <div>
          <p>{t("call.answerConfirmText")}</p>
          <p className="desk-hit-q">{hit.question}</p>
        </div>
      ),
      okText: t("call.answerOk"),
      cancelText: t("actions.cancel"),
      onOk: () =>
        register(
          {
            label: t("actions.answer"),
            run: (ticket) => unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/answer", { params: { path: { ticket_id: ticket.id } }, body: { kb_entry_id: hit.id } })),
          },
          "enquiry",
        ),
    });
  };

  const mergeInto = (primary: Ticket) => {
    modal.confirm({
      title: t("call.mergeConfirm", { number: primary.number }),
      content: t("call.mergeConfirmText"),
      okText: t("call.merge"),
      cancelText: t("actions.cancel"),
      onOk: () =>
        register({
          label: t("actions.merge"),
          run: (ticket) =>
            unwrap(api.POST("/api/hotline/v1/tickets/{ticket_id}/merge", { params: { path: { ticket_id: ticket.id } }, body: { into_ticket_id: primary.id } })),
        }),
    });
  };

  const divert = async () => {
    let v: { reason?: DiversionReason; note?: string };
    try {
      v = await divertForm.validateFields();
    } catch {
      return;
    }
    setDiverting(false);
    await register({
      label: t("actions.divert"),
      run: (ticket) =>
        unwrap(
          api.POST("/api/hotline/v1/tickets/{ticket_id}/divert", {
            params: { path: { ticket_id: ticket.id } },
            body: { reason: v.reason ?? "outside_duties", note: (v.note ?? "").trim() },
          }),
        ),
    });
  };

  const initial: CallValues = { request_type: "help", anonymous: false, urgent: false, complex: false, auto_dispatch: true };

  return (
    <div className="staff-page desk-page">
      <Typography.Title level={1} className="staff-title">
        {t("call.title")}
      </Typography.Title>
      <ProblemAlert messages={messages} title={t("call.failed")} />
      {half ? (
        <Alert
          type="warning"
          showIcon
          role="alert"
          className="desk-alert"
          message={t("call.half", { number: half.number })}
          description={
            <>
              <div>{half.error}</div>
              <Link to={`/work/hotline/tickets/${encodeURIComponent(half.id)}`}>{t("call.openTicket")}</Link>
            </>
          }
        />
      ) : null}
      <div className="desk-call">
        <Form<CallValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          initialValues={initial}
          disabled={busy}
          className="desk-call-form"
          onFinish={() => void register()}
          onValuesChange={(changed: CallValues) => {
            form.setFields(Object.keys(changed).filter((n) => n !== "attributes").map((name) => ({ name: name as keyof CallValues, errors: [] })));
            if ("street_code" in changed) form.setFieldValue("community_code", undefined);
            if ("category_code" in changed) form.setFieldValue("attributes", {});
          }}
        >
          <fieldset className="desk-fieldset">
            <legend>{t("call.caller")}</legend>
            <div className="desk-row">
              <Form.Item name="caller_name" label={t("call.callerName")} rules={[{ max: 200, message: t("call.tooLong", { max: 200 }) }]}>
                <Input disabled={anonymous} autoComplete="off" />
              </Form.Item>
              <Form.Item name="caller_phone" label={t("call.callerPhone")} rules={[{ pattern: /^\+?[0-9][0-9\- ]{4,19}$/, message: t("call.phoneFormat") }]}>
                <Input disabled={anonymous} inputMode="tel" autoComplete="off" />
              </Form.Item>
            </div>
            <Form.Item name="anonymous" valuePropName="checked" className="desk-compact-item">
              <Checkbox>{t("call.anonymous")}</Checkbox>
            </Form.Item>
          </fieldset>

          <fieldset className="desk-fieldset">
            <legend>{t("call.request")}</legend>
            <Form.Item name="request_type" label={<span id="hd-type">{t("call.type")}</span>} rules={[chosen(t("call.typeRequired"))]}>
              <Radio.Group
                aria-labelledby="hd-type"
                optionType="button"
                buttonStyle="solid"
                className="desk-types"
                options={REQUEST_TYPES.map((rt) => ({ value: rt, label: t(`type.${rt}`) }))}
              />
            </Form.Item>
            <Form.Item name="description" label={t("call.description")} extra={t("call.descriptionHint")} rules={[{ required: true, whitespace: true, message: t("call.descriptionRequired") }, { max: 4000, message: t("call.tooLong", { max: 4000 }) }]}>
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
            <Form.Item name="title" label={t("call.titleLabel")} extra={t("call.titleHint")} rules={[{ max: 200, message: t("call.tooLong", { max: 200 }) }]}>
              <Input maxLength={200} />
            </Form.Item>
            <div className="desk-row">
              <Form.Item name="category_code" label={t("call.category")}>
                <Select allowClear showSearch optionFilterProp="label" placeholder={t("call.choose")} loading={categories.isPending} options={categoryOptions} />
              </Form.Item>
              <div className="desk-checks">
                <Form.Item name="urgent" valuePropName="checked" className="desk-compact-item">
                  <Checkbox>{t("call.urgent")}</Checkbox>
                </Form.Item>
                <Form.Item name="complex" valuePropName="checked" className="desk-compact-item">
                  <Checkbox>{t("call.complex")}</Checkbox>
                </Form.Item>
              </div>
            </div>
            {(category?.attributes ?? []).map((a) => (
              <AttributeField key={a.code} attr={a} />
            ))}
          </fieldset>

          <fieldset className="desk-fieldset">
            <legend>{t("call.place")}</legend>
            <div className="desk-row">
              <Form.Item name="street_code" label={t("call.street")}>
                <Select allowClear placeholder={t("call.choose")} loading={streets.isPending} options={(streets.data?.items ?? []).map((s) => ({ value: s.code, label: s.name }))} />
              </Form.Item>
              <Form.Item name="community_code" label={t("call.community")}>
                <Select
                  allowClear
                  disabled={!street}
                  placeholder={street ? t("call.choose") : t("call.streetFirst")}
                  options={(communities.data?.items ?? []).map((c) => ({ value: c.code, label: c.name }))}
                />
              </Form.Item>
            </div>
            <Form.Item name="address" label={t("call.address")} rules={[{ max: 300, message: t("call.tooLong", { max: 300 }) }]}>
              <Input maxLength={300} />
            </Form.Item>
          </fieldset>

          <Form.Item name="auto_dispatch" valuePropName="checked" extra={t("call.autoDispatchHint")}>
            <Checkbox>{t("call.autoDispatch")}</Checkbox>
          </Form.Item>
          <div className="desk-form-actions">
            <Button type="primary" htmlType="submit" loading={busy}>
              {t("call.submit")}
            </Button>
            <Button icon={<ForkOutlined aria-hidden />} onClick={() => setDiverting(true)}>
              {t("call.divert")}
            </Button>
            <Button
              htmlType="button"
              onClick={() => {
                form.resetFields();
                setMessages([]);
                setHalf(null);
              }}
            >
              {t("call.clear")}
            </Button>
          </div>
        </Form>
        <aside className="desk-call-side" aria-label={t("call.sideLabel")}>
          <Suggestions query={query} onAnswer={answerWith} busy={busy} />
          <Duplicates draft={draft} onMerge={mergeInto} busy={busy} />
        </aside>
      </div>

      <Modal
        open={diverting}
        title={t("call.divertTitle")}
        okText={t("call.divertOk")}
        cancelText={t("actions.cancel")}
        onOk={() => void divert()}
        onCancel={() => setDiverting(false)}
        destroyOnClose
        wrapClassName="desk-modal"
      >
        <p className="muted">{t("call.divertHint")}</p>
        <Form form={divertForm} layout="vertical" requiredMark={false} preserve={false}>
          <Form.Item name="reason" label={<span id="hd-divert-reason">{t("actions.divertReason")}</span>} rules={[chosen(t("actions.divertReasonRequired"))]}>
            <Radio.Group aria-labelledby="hd-divert-reason" className="desk-radio-column" options={DIVERSION_REASONS.map((r) => ({ value: r, label: t(`diversion.${r}`) }))} />
          </Form.Item>
          <Form.Item name="note" label={t("actions.divertNote")} rules={[{ required: true, whitespace: true, min: 2, message: t("actions.noteRequired") }]}>
            <Input.TextArea rows={3} maxLength={1000} />
          </Form.Item>
        </Form>
      </Modal>
      {modalHolder}
      {categories.isError ? <Empty description={errorText(categories.error)} /> : null}
    </div>
  );
}
