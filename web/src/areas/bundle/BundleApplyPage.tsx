import { useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Alert, Breadcrumb, Button, Checkbox, Descriptions, Empty, Form, Input, Radio, Skeleton, Tag } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { MaterialInput } from "../apply/MaterialInput";
import { conditionsOf, isProvided, materialAliases, type DeliveryChoice, type MaterialSlot, type MaterialValues } from "../apply/model";
import { newIdempotencyKey } from "../apply/idempotency";
import { useApplyTexts } from "../apply/texts";
import { asGuideMaterial, bundleBody, bundleSlots, neededByText, type Bundle } from "./model";
import { getBundle, KEYS } from "./queries";
import "../apply/apply.css";
import "./bundle.css";

interface Values {
  fields?: Record<string, string | undefined>;
  confirmed?: Record<string, boolean | undefined>;
  conditions?: string[];
  materials?: MaterialValues;
  delivery: DeliveryChoice;
  promise?: boolean;
}

/** Applicant fields the person's account fills in (the rest they type once for every item). */
const FROM_ACCOUNT: Record<string, "name"> = { applicant_name: "name" };

function BundleForm({ bundle }: { bundle: Bundle }) {
  const { t } = useTranslation("bundle");
  const errorText = useErrorText();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const me = useQuery({ queryKey: [MY, "me"], queryFn: () => unwrap(api.GET("/api/identity/v1/me")) });
  const chosen = Form.useWatch("conditions", form) ?? [];
  const mode = Form.useWatch(["delivery", "mode"], form) ?? "window";
  const slots = useMemo(() => bundleSlots(bundle, chosen), [bundle, chosen]);
  const conditions = conditionsOf(bundle.materials.map(asGuideMaterial));
  const [problems, setProblems] = useState<string[]>([]);
  const [submitting, setSubmitting] = useState(false);
  const idempotency = useRef<{ body: string; key: string } | null>(null);
  const summary = useRef<HTMLDivElement>(null);
  const byName = new Map(bundle.materials.map((m) => [m.name, m]));
  const asked = slots.filter((s) => s.provision !== "exempt");
  const exempt = slots.filter((s) => s.provision === "exempt");
  // Fields of the applicant's part that a person (not an enterprise) fills in.
  const personFields = bundle.form.applicant_fields.filter((f) => f.key.startsWith("applicant_"));
  const orgFields = bundle.form.applicant_fields.filter((f) => !f.key.startsWith("applicant_"));

  const materialRule = (slot: MaterialSlot) => ({
    validator: (_: unknown, value: MaterialValues[string]) =>
      slot.needed && !isProvided(slot, value)
        ? Promise.reject(new Error(slot.provision === "upload" ? t("apply:missingUpload", { name: slot.name }) : t("apply:missingPaper", { name: slot.name })))
        : Promise.resolve(),
  });

  const show = (messages: string[]) => {
    setProblems(messages);
    window.setTimeout(() => summary.current?.focus(), 0);
  };

  const onFinish = async (v: Values) => {
    const confirmed = Object.fromEntries(Object.entries(v.confirmed ?? {}).map(([k, on]) => [k, on ? t("apply.confirmedValue") : undefined]));
    const { body, keys } = bundleBody(bundle.code, slots, v.materials ?? {}, v.conditions ?? [], { ...(v.fields ?? {}), ...confirmed }, v.delivery);
    const text = JSON.stringify(body);
    if (idempotency.current?.body !== text) idempotency.current = { body: text, key: newIdempotencyKey() };
    setSubmitting(true);
    setProblems([]);
    try {
      const app = await unwrap(
        api.POST("/api/intake/v1/bundle-applications", { body, params: { header: { "Idempotency-Key": idempotency.current.key } } }),
      );
      await queryClient.invalidateQueries({ queryKey: KEYS.mine });
      await queryClient.invalidateQueries({ queryKey: [MY, "applications"] });
      navigate(`/my/bundles/${encodeURIComponent(app.id)}`, { state: { submitted: true } });
    } catch (e) {
      setSubmitting(false);
      if (e instanceof ApiError && e.problem) {
        show(applyProblemToForm(form, e.problem, slots.map((s) => ["materials", s.key]), materialAliases(keys)));
      } else show([errorText(e)]);
    }
  };

  return (
    <Form<Values>
      form={form}
      name="bundle"
      className="apply-form"
      layout="vertical"
      requiredMark={false}
      disabled={submitting}
      initialValues={{ conditions: [], materials: {}, delivery: { mode: "window" } }}
      onFinish={(v) => void onFinish(v)}
      onFinishFailed={({ errorFields }) => show(errorFields.filter((f) => f.errors.length > 0).map((f) => f.errors[0]!))}
      scrollToFirstError={false}
    >
      <div ref={summary} tabIndex={-1} className="apply-summary" aria-live="assertive">
        {problems.length > 0 ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            message={t("apply.problems", { count: problems.length })}
            description={
              <ul className="apply-gaps">
                {problems.map((p) => (
                  <li key={p}>{p}</li>
                ))}
              </ul>
            }
          />
        ) : null}
      </div>

      <section className="section apply-card" aria-labelledby="ba-form">
        <h2 id="ba-form">{t("apply.form")}</h2>
        <p className="muted apply-note">{t("apply.formHint", { count: bundle.members.length })}</p>
        {me.data ? (
          <Descriptions size="small" column={{ xs: 1, sm: 2 }} className="bundle-me">
            <Descriptions.Item label={t("apply.applicant")}>{me.data.account.name}</Descriptions.Item>
            <Descriptions.Item label={t("apply.phone")}>{"phone" in me.data.account ? me.data.account.phone : "—"}</Descriptions.Item>
          </Descriptions>
        ) : null}
        <div className="bundle-fields">
          {personFields
            .filter((f) => !FROM_ACCOUNT[f.key])
            .map((f) => (
              <Form.Item
                key={f.key}
                name={["fields", f.key]}
                label={f.label}
                rules={f.required ? [{ required: true, whitespace: true, message: t("apply.fieldRequired", { label: f.label }) }] : []}
              >
                <Input maxLength={200} autoComplete="off" />
              </Form.Item>
            ))}
        </div>
        {orgFields.length > 0 ? (
          <details className="bundle-org">
            <summary>{t("apply.orgFields")}</summary>
            <div className="bundle-fields">
              {orgFields.map((f) => (
                <Form.Item key={f.key} name={["fields", f.key]} label={f.label}>
                  <Input maxLength={200} autoComplete="off" />
                </Form.Item>
              ))}
            </div>
          </details>
        ) : null}
        {bundle.form.item_sections.map((s) => (
          <fieldset key={s.item_code} className="bundle-section">
            <legend>{s.item_name}</legend>
            {s.fields.map((f) => (
              <Form.Item
                key={f.key}
                name={["confirmed", f.key]}
                valuePropName="checked"
                className="bundle-confirm"
                rules={f.required ? [{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t("apply.confirmRequired", { label: f.label })))) }] : []}
              >
                <Checkbox>{f.label}</Checkbox>
              </Form.Item>
            ))}
          </fieldset>
        ))}
      </section>

      {conditions.length > 0 ? (
        <section className="section apply-card" aria-labelledby="ba-conditions">
          <h2 id="ba-conditions">{t("apply:conditions")}</h2>
          <Form.Item name="conditions" className="apply-conditions" label={<span className="visually-hidden">{t("apply:conditions")}</span>}>
            <Checkbox.Group options={conditions.map((c) => ({ value: c.name, label: `${c.condition}（${c.name}）` }))} />
          </Form.Item>
        </section>
      ) : null}

      <section className="section apply-card" aria-labelledby="ba-materials">
        <h2 id="ba-materials">{t("apply.materials")}</h2>
        <p className="muted apply-note">
          {t("apply.materialsHint", { count: asked.filter((s) => s.needed).length, exempt: exempt.length, before: bundle.materials_before_merge })}
        </p>
        <ol className="apply-materials">
          {[...asked, ...exempt].map((slot) => {
            const merged = byName.get(slot.name);
            const shared = merged?.shared ? (
              <div className="bundle-shared">
                <Tag color="purple">{t("material.shared", { count: merged.needed_by.length })}</Tag>
                <span className="muted">{t("material.neededBy", { items: neededByText(merged) })}</span>
              </div>
            ) : null;
            return (
              <li key={slot.key}>
                {shared}
                {slot.provision === "exempt" ? (
                  <MaterialInput slot={slot} onError={() => undefined} />
                ) : (
                  <Form.Item name={["materials", slot.key]} rules={[materialRule(slot)]} className="apply-material-item">
                    <MaterialInput
                      slot={slot}
                      onError={(message) => form.setFields([{ name: ["materials", slot.key], errors: message ? [message] : [] }])}
                    />
                  </Form.Item>
                )}
              </li>
            );
          })}
        </ol>
      </section>

      <section className="section apply-card" aria-labelledby="ba-delivery">
        <h2 id="ba-delivery">{t("apply.delivery")}</h2>
        <Form.Item name={["delivery", "mode"]} label={t("apply:deliveryMode")}>
          <Radio.Group className="apply-modes">
            {(["window", "post", "locker"] as const).map((m) => (
              <Radio key={m} value={m}>
                {t(`codes.deliveryMode.${m}`)}
                <span className="muted apply-mode-hint">{t(`apply:deliveryHint.${m}`)}</span>
              </Radio>
            ))}
          </Radio.Group>
        </Form.Item>
        {mode === "post" ? (
          <Form.Item
            name={["delivery", "address"]}
            label={t("apply:address")}
            rules={[{ required: true, whitespace: true, message: t("apply:addressRequired") }]}
          >
            <Input.TextArea autoSize={{ minRows: 2, maxRows: 4 }} maxLength={200} autoComplete="street-address" />
          </Form.Item>
        ) : null}
        <p className="muted apply-note">{t("apply.deliveryNote")}</p>
      </section>

      <section className="section apply-card" aria-labelledby="ba-submit">
        <h2 id="ba-submit">{t("apply:confirm")}</h2>
        <Form.Item
          name="promise"
          valuePropName="checked"
          rules={[{ validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error(t("apply:promiseRequired")))) }]}
        >
          <Checkbox>{t("apply:promise")}</Checkbox>
        </Form.Item>
        <div className="apply-actions">
          <Button type="primary" htmlType="submit" size="large" loading={submitting}>
            {t("apply.submit")}
          </Button>
          <Link to={`/bundles/${encodeURIComponent(bundle.code)}`}>{t("apply.back")}</Link>
        </div>
      </section>
    </Form>
  );
}

function Apply() {
  const { t } = useTranslation("bundle");
  const { code = "" } = useParams();
  const bundle = useQuery({ queryKey: KEYS.bundle(code), queryFn: () => getBundle(code) });
  useDocumentTitle(bundle.data ? t("apply.titleOf", { name: bundle.data.name }) : t("apply.title"));
  const notFound = bundle.error instanceof ApiError && bundle.error.status === 404;
  return (
    <div className="page apply bundle-apply">
      <Breadcrumb
        items={[
          { title: <Link to="/bundles">{t("list.title")}</Link> },
          { title: bundle.data ? <Link to={`/bundles/${encodeURIComponent(code)}`}>{bundle.data.name}</Link> : code },
          { title: t("apply.title") },
        ]}
      />
      <h1 tabIndex={-1}>{bundle.data ? t("apply.titleOf", { name: bundle.data.name }) : t("apply.title")}</h1>
      {bundle.isPending ? <Skeleton active paragraph={{ rows: 10 }} /> : null}
      {notFound ? <Empty description={t("guide.notFound")} /> : null}
      {bundle.isError && !notFound ? <ErrorAlert error={bundle.error} onRetry={() => void bundle.refetch()} /> : null}
      {bundle.data ? <BundleForm bundle={bundle.data} /> : null}
    </div>
  );
}

function WithTexts() {
  // The material inputs are the apply area's: its texts too.
  const ready = useApplyTexts();
  return ready ? <Apply /> : <Skeleton active paragraph={{ rows: 10 }} />;
}

export default function BundleApplyPage() {
  return (
    <RequireCitizen>
      <WithTexts />
    </RequireCitizen>
  );
}
