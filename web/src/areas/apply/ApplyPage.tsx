import { useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Checkbox, Descriptions, Empty, Form, Input, Radio, Result, Skeleton } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { MaterialInput } from "./MaterialInput";
import {
  canApplyOnline,
  conditionsOf,
  deliveryModesFor,
  isProvided,
  materialAliases,
  slotsOf,
  submissionBody,
  withCommitment,
  type DeliveryChoice,
  type Guide,
  type MaterialSlot,
  type MaterialValues,
} from "./model";
import { newIdempotencyKey } from "./idempotency";
import { useApplyTexts } from "./texts";
import { CommitmentOffer } from "./Commitment";
import "./apply.css";

interface ApplyValues {
  conditions?: string[];
  materials?: MaterialValues;
  delivery: DeliveryChoice;
  promise?: boolean;
  /** 告知承诺: signed in place of the materials it replaces. */
  commit?: boolean;
}

/** A line of the summary of everything still to fix: its text and the field to go to. */
interface Gap {
  key: string;
  text: string;
  field: (string | number)[];
}

const FORM = "apply";
const fieldId = (path: (string | number)[]) => [FORM, ...path].join("_");
const MOBILE = /^1[3-9]\d{9}$/;

function Applicant() {
  const { t } = useTranslation("apply");
  const me = useQuery({
    queryKey: [MY, "me"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/me")),
  });
  return (
    <section className="section apply-card" aria-labelledby="ap-applicant">
      <h2 id="ap-applicant">{t("applicant")}</h2>
      {me.isPending ? <Skeleton active paragraph={{ rows: 1 }} /> : null}
      {me.data ? (
        <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
          <Descriptions.Item label={t("applicantName")}>{me.data.account.name}</Descriptions.Item>
          <Descriptions.Item label={t("applicantPhone")}>{"phone" in me.data.account ? me.data.account.phone : "—"}</Descriptions.Item>
        </Descriptions>
      ) : null}
      <p className="muted apply-note">{t("applicantNote")}</p>
    </section>
  );
}

function ApplyForm({ guide, code }: { guide: Guide; code: string }) {
  const { t } = useTranslation("apply");
  const errorText = useErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ApplyValues>();
  const chosen = Form.useWatch("conditions", form) ?? [];
  const mode = Form.useWatch(["delivery", "mode"], form) ?? "window";
  const commit = Form.useWatch("commit", form) ?? false;
  const commitment = guide.commitment ?? null;
  const slots = useMemo(
    () => withCommitment(slotsOf(guide.materials, chosen), commitment?.replaces ?? [], Boolean(commitment) && commit),
    [guide.materials, chosen, commitment, commit],
  );
  const me = useQuery({ queryKey: [MY, "me"], queryFn: () => unwrap(api.GET("/api/identity/v1/me")) });
  const conditions = conditionsOf(guide.materials);
  const modes = deliveryModesFor(guide);
  const [gaps, setGaps] = useState<Gap[]>([]);
  const [general, setGeneral] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  // One key per distinct body: a retry of the same submission replays, a changed one is new.
  const idempotency = useRef<{ body: string; key: string } | null>(null);
  const exempt = slots.filter((s) => s.provision === "exempt");
  const asked = slots.filter((s) => s.provision !== "exempt");

  const showSummary = (next: Gap[], messages: string[]) => {
    setGaps(next);
    setGeneral(messages);
    window.setTimeout(() => summary.current?.focus(), 0);
  };

  const materialRule = (slot: MaterialSlot) => ({
    validator: (_: unknown, value: MaterialValues[string]) =>
      slot.needed && !isProvided(slot, value)
        ? Promise.reject(new Error(slot.provision === "upload" ? t("missingUpload", { name: slot.name }) : t("missingPaper", { name: slot.name })))
        : Promise.resolve(),
  });

  const onFailed = (errorFields: { name: (string | number)[]; errors: string[] }[]) => {
    const next = errorFields
      .filter((f) => f.errors.length > 0)
      .map((f) => ({ key: f.name.join("."), text: f.errors[0]!, field: f.name }));
    showSummary(next, []);
  };

  const onFinish = async (values: ApplyValues) => {
    const submitted = submissionBody(code, slots, values.materials ?? {}, values.conditions ?? [], values.delivery);
    const { keys } = submitted;
    const body =
      commitment && values.commit && me.data
        ? { ...submitted.body, commitment: { agreed: true as const, signatory: me.data.account.name } }
        : submitted.body;
    const text = JSON.stringify(body);
    if (idempotency.current?.body !== text) idempotency.current = { body: text, key: newIdempotencyKey() };
    setSubmitting(true);
    setGaps([]);
    setGeneral([]);
    try {
      const app = await unwrap(
        api.POST("/api/intake/v1/applications", { body, params: { header: { "Idempotency-Key": idempotency.current.key } } }),
      );
      await queryClient.invalidateQueries({ queryKey: [MY, "applications"] });
      navigate(`/my/applications/${encodeURIComponent(app.id)}`, { state: { submitted: true } });
    } catch (error) {
      setSubmitting(false);
      if (error instanceof ApiError && error.problem) {
        const fields: (string | number)[][] = [
          ...slots.map((s) => ["materials", s.key]),
          ["delivery", "mode"],
          ["delivery", "address"],
          ["delivery", "recipient"],
          ["delivery", "phone"],
          ["conditions"],
        ];
        const messages = applyProblemToForm(form, error.problem, fields, {
          ...materialAliases(keys),
          "body.form.delivery.address": ["delivery", "address"],
          "body.form.delivery.recipient": ["delivery", "recipient"],
          "body.form.delivery.phone": ["delivery", "phone"],
          "body.form.delivery.mode": ["delivery", "mode"],
        });
        const fieldGaps = form
          .getFieldsError()
          .filter((f) => f.errors.length > 0)
          .map((f) => ({ key: f.name.join("."), text: f.errors[0]!, field: f.name as (string | number)[] }));
        showSummary(fieldGaps, messages);
      } else {
        showSummary([], [errorText(error)]);
      }
    }
  };

  const goTo = (field: (string | number)[]) => {
    form.scrollToField(field, { block: "center" });
    document.getElementById(fieldId(field))?.focus();
  };

  const hasSummary = gaps.length > 0 || general.length > 0;
  return (
    <Form<ApplyValues>
      form={form}
      name={FORM}
      className="apply-form"
      layout="vertical"
      requiredMark={false}
      disabled={submitting}
      initialValues={{ conditions: [], materials: {}, delivery: { mode: "window" } }}
      onFinish={(v) => void onFinish(v)}
      onFinishFailed={({ errorFields }) => onFailed(errorFields)}
      onFieldsChange={() => {
        // The summary follows the fields: what was fixed leaves the list.
        if (gaps.length === 0) return;
        setGaps(
          form
            .getFieldsError()
            .filter((f) => f.errors.length > 0)
            .map((f) => ({ key: f.name.join("."), text: f.errors[0]!, field: f.name as (string | number)[] })),
        );
      }}
      scrollToFirstError={false}
    >
      <div ref={summary} tabIndex={-1} className="apply-summary" aria-live="assertive">
        {hasSummary ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            message={gaps.length > 0 ? t("gaps", { count: gaps.length }) : t("failed")}
            description={
              <ul className="apply-gaps">
                {general.map((m) => (
                  <li key={m}>{m}</li>
                ))}
                {gaps.map((g) => (
                  <li key={g.key}>
                    <button type="button" className="link-button" onClick={() => goTo(g.field)}>
                      {g.text}
                    </button>
                  </li>
                ))}
              </ul>
            }
          />
        ) : null}
      </div>

      <Applicant />

      {conditions.length > 0 ? (
        <section className="section apply-card" aria-labelledby="ap-conditions">
          <h2 id="ap-conditions">{t("conditions")}</h2>
          <p className="muted apply-note">{t("conditionsHint")}</p>
          <Form.Item name="conditions" className="apply-conditions" label={<span className="visually-hidden">{t("conditions")}</span>}>
            <Checkbox.Group options={conditions.map((c) => ({ value: c.name, label: `${c.condition}（${c.name}）` }))} />
          </Form.Item>
        </section>
      ) : null}

      {commitment ? (
        <section className="section apply-card" aria-labelledby="ap-commitment">
          <h2 id="ap-commitment">{t("commitment.title")}</h2>
          <p className="muted apply-note">{t("commitment.hint")}</p>
          <Form.Item name="commit" valuePropName="checked" className="apply-material-item">
            <CommitmentOffer commitment={commitment} />
          </Form.Item>
        </section>
      ) : null}

      <section className="section apply-card" aria-labelledby="ap-materials">
        <h2 id="ap-materials">{t("materials")}</h2>
        <p className="muted apply-note">
          {t("materialsSummary", { count: asked.filter((s) => s.needed).length, exempt: exempt.length })}
        </p>
        {slots.length === 0 ? <p>{t("noMaterials")}</p> : null}
        <ol className="apply-materials">
          {[...asked, ...exempt].map((slot) => (
            <li key={slot.key}>
              {slot.provision === "exempt" ? (
                <MaterialInput slot={slot} onError={() => undefined} />
              ) : (
                <Form.Item name={["materials", slot.key]} rules={[materialRule(slot)]} className="apply-material-item">
                  <MaterialInput
                    slot={slot}
                    onError={(message) =>
                      form.setFields([{ name: ["materials", slot.key], errors: message ? [message] : [] }])
                    }
                  />
                </Form.Item>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section className="section apply-card" aria-labelledby="ap-delivery">
        <h2 id="ap-delivery">{t("delivery")}</h2>
        <Form.Item name={["delivery", "mode"]} label={t("deliveryMode")}>
          <Radio.Group className="apply-modes">
            {modes.map((m) => (
              <Radio key={m} value={m}>
                {codeLabel(t, "deliveryMode", m)}
                <span className="muted apply-mode-hint">{t(`deliveryHint.${m}`)}</span>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        {mode === "post" ? (
          <div className="apply-post">
            <Form.Item
              name={["delivery", "address"]}
              label={t("address")}
              rules={[
                { required: true, whitespace: true, message: t("addressRequired") },
                { max: 200, message: t("tooLong", { max: 200 }) },
              ]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} autoComplete="street-address" />
            </Form.Item>
            <div className="apply-post-row">
              <Form.Item name={["delivery", "recipient"]} label={t("recipient")} rules={[{ max: 50, message: t("tooLong", { max: 50 }) }]}>
                <Input autoComplete="name" />
              </Form.Item>
              <Form.Item
                name={["delivery", "phone"]}
                label={t("recipientPhone")}
                rules={[{ pattern: MOBILE, message: t("phoneInvalid") }]}
              >
                <Input inputMode="tel" autoComplete="tel" />
              </Form.Item>
            </div>
          </div>
        ) : null}
        <p className="muted apply-note">{t("deliveryNote")}</p>
      </section>

      <section className="section apply-card" aria-labelledby="ap-submit">
        <h2 id="ap-submit">{t("confirm")}</h2>
        <Form.Item
          name="promise"
          valuePropName="checked"
          rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t("promiseRequired")))) }]}
        >
          <Checkbox>{t("promise")}</Checkbox>
        </Form.Item>
        <div className="apply-actions">
          <Button type="primary" htmlType="submit" size="large" loading={submitting}>
            {t("submit")}
          </Button>
          <Link to={`/items/${encodeURIComponent(code)}`}>{t("backToGuide")}</Link>
        </div>
      </section>
    </Form>
  );
}

function Apply() {
  const { code } = useParams();
  const { t } = useTranslation("apply");
  const guide = useQuery({
    queryKey: ["guide", code],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items/{code}/guide", { params: { path: { code: code ?? "" } } })),
    enabled: Boolean(code),
  });
  useDocumentTitle(guide.data ? t("titleOf", { name: guide.data.name }) : t("title"));
  const notFound = guide.error instanceof ApiError && guide.error.status === 404;
  const online = guide.data ? canApplyOnline(guide.data) : false;
  return (
    <div className="page apply">
      <Breadcrumb
        items={[
          { title: <Link to="/items">{t("nav.items")}</Link> },
          { title: guide.data ? <Link to={`/items/${encodeURIComponent(code ?? "")}`}>{guide.data.name}</Link> : t("title") },
          { title: t("title") },
        ]}
      />
      <h1 tabIndex={-1}>{guide.data ? t("titleOf", { name: guide.data.name }) : t("title")}</h1>
      {guide.data ? (
        <p className="muted-p">
          {t("intro", { unit: guide.data.implementing_unit.name })}
          {guide.data.online_depth ? ` ${codeLabel(t, "onlineDepth", guide.data.online_depth.code, guide.data.online_depth.label)}` : ""}
        </p>
      ) : null}
      {guide.isPending ? <Skeleton active paragraph={{ rows: 10 }} /> : null}
      {notFound ? <Empty description={t("guide.notFound")} /> : null}
      {guide.isError && !notFound ? <ErrorAlert error={guide.error} onRetry={() => void guide.refetch()} /> : null}
      {guide.data && !online ? (
        <Result
          status="info"
          title={t("notOnline")}
          subTitle={t("notOnlineHint")}
          extra={<Link to={`/items/${encodeURIComponent(code ?? "")}`}>{t("backToGuide")}</Link>}
        />
      ) : null}
      {guide.data && online && code ? <ApplyForm guide={guide.data} code={code} /> : null}
    </div>
  );
}

function WithTexts() {
  // Normally loaded with the route; after a language chosen before the first page, load them now.
  const ready = useApplyTexts();
  return ready ? <Apply /> : <Skeleton active paragraph={{ rows: 10 }} />;
}

export default function ApplyPage() {
  return (
    <RequireCitizen>
      <WithTexts />
    </RequireCitizen>
  );
}
