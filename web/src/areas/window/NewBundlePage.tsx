import { useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { Button, Card, Checkbox, Form, Input, Radio, Select, Skeleton, Space, Tag, Typography } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { newIdempotencyKey } from "../apply/idempotency";
import { bundleSlots, neededByText } from "../bundle/model";
import { Stages } from "../bundle/parts";
import { getBundle, listBundles } from "../bundle/queries";
import { receivedMaterials, type WindowSlot } from "./model";
import { Identify, PersonCard, type Person } from "./NewApplicationPage";
import "../bundle/bundle.css";
import "./window.css";

interface Values {
  bundle?: string;
  conditions?: string[];
  received?: Record<string, boolean>;
  delivery: "window" | "post" | "locker";
  address?: string;
}

/** Step 2: the bundle, each merged material taken in once at the counter, one submission. */
function BundleFor({ person }: { person: Person }) {
  const { t } = useTranslation("window");
  const tb = useTranslation("bundle").t;
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<Values>();
  const code = Form.useWatch("bundle", form);
  const chosen = Form.useWatch("conditions", form) ?? [];
  const delivery = Form.useWatch("delivery", form) ?? "window";
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const idempotency = useRef<{ body: string; key: string } | null>(null);
  const bundles = useQuery({ queryKey: ["bundles"], queryFn: listBundles, staleTime: 60_000 });
  const bundle = useQuery({ queryKey: ["bundle", code], queryFn: () => getBundle(code ?? ""), enabled: Boolean(code) });
  const slots: WindowSlot[] = useMemo(
    () =>
      bundle.data
        ? bundleSlots(bundle.data, chosen).map((s) => ({ key: s.key, name: s.name, needed: s.needed, exempt: s.provision === "exempt", originals: s.originals, copies: s.copies }))
        : [],
    [bundle.data, chosen.join("\u0000")],
  );
  const conditions = (bundle.data?.materials ?? []).filter((m) => m.requirement === "conditional" && !m.exempt);
  const byName = new Map((bundle.data?.materials ?? []).map((m) => [m.name, m]));

  const onFinish = async (v: Values) => {
    if (!v.bundle) return;
    const wish: Record<string, string> = { mode: v.delivery };
    if (v.delivery === "post" && v.address?.trim()) wish.address = v.address.trim();
    const body = {
      bundle_code: v.bundle,
      applicant: { id: person.id },
      conditions: conditions.filter((c) => chosen.includes(c.name)).map((c) => c.name),
      form: { applicant_name: person.name, delivery: wish },
      materials: receivedMaterials(slots, v.received ?? {}),
    };
    const text = JSON.stringify(body);
    if (idempotency.current?.body !== text) idempotency.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    setGeneral([]);
    try {
      const app = await unwrap(api.POST("/api/intake/v1/bundle-applications", { body, params: { header: { "Idempotency-Key": idempotency.current.key } } }));
      await queryClient.invalidateQueries({ queryKey: [MY, "window"] });
      navigate(`/work/window/bundles/${encodeURIComponent(app.id)}`);
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError && e.problem) setGeneral(applyProblemToForm(form, e.problem, ["bundle", "address"], { "body.bundle_code": "bundle", "body.form.delivery.address": "address" }));
      else setGeneral([errorText(e)]);
    }
  };

  return (
    <Form form={form} layout="vertical" name="bundle-apply" onFinish={(v) => void onFinish(v)} initialValues={{ delivery: "window" }}>
      <Form.Item name="bundle" label={t("bundles.bundle")} rules={[{ validator: (_, v: string | undefined) => (v ? Promise.resolve() : Promise.reject(new Error(t("bundles.bundleRequired")))) }]}>
        <Select
          loading={bundles.isPending}
          placeholder={t("bundles.bundlePlaceholder")}
          options={(bundles.data?.items ?? []).map((b) => ({ value: b.code, label: b.name }))}
          onChange={() => form.setFieldsValue({ conditions: [], received: {} })}
        />
      </Form.Item>
      {bundle.isFetching && !bundle.data ? <Skeleton active /> : null}
      {bundle.error ? <ErrorAlert error={bundle.error} /> : null}
      {bundle.data ? (
        <>
          <div className="window-gap">
            <Stages members={bundle.data.members} />
          </div>
          {conditions.length > 0 ? (
            <Form.Item name="conditions" label={t("apply.conditions")}>
              <Checkbox.Group options={conditions.map((c) => ({ value: c.name, label: c.needed_by.find((n) => n.condition)?.condition ?? c.name }))} />
            </Form.Item>
          ) : null}
          <fieldset className="window-materials">
            <legend>{t("bundles.materials")}</legend>
            <p className="muted">{t("bundles.materialsHint", { asked: bundle.data.materials_asked, before: bundle.data.materials_before_merge })}</p>
            <ul>
              {slots.map((s) => {
                const m = byName.get(s.name);
                const shared = m?.shared ? (
                  <Tag color="purple" className="window-shared">
                    {tb("material.shared", { count: m.needed_by.length })}
                  </Tag>
                ) : null;
                return s.exempt ? (
                  <li key={s.key} className="muted">
                    {s.name} · {t("apply.exempt")} {shared}
                  </li>
                ) : s.needed ? (
                  <li key={s.key}>
                    <Form.Item name={["received", s.key]} valuePropName="checked" noStyle>
                      <Checkbox>
                        {s.name}
                        <span className="muted"> · {t("apply.counts", { originals: s.originals, copies: s.copies })}</span>
                      </Checkbox>
                    </Form.Item>
                    {shared}
                    {m ? <div className="muted window-needed-by">{tb("material.neededBy", { items: neededByText(m) })}</div> : null}
                  </li>
                ) : null;
              })}
            </ul>
          </fieldset>
          <Form.Item name="delivery" label={t("apply.delivery")}>
            <Radio.Group options={(["window", "post", "locker"] as const).map((m) => ({ value: m, label: t(`deliver.mode.${m}`) }))} />
          </Form.Item>
          {delivery === "post" ? (
            <Form.Item name="address" label={t("apply.address")} rules={[{ required: true, whitespace: true, message: t("apply.addressRequired") }]}>
              <Input maxLength={200} />
            </Form.Item>
          ) : null}
        </>
      ) : null}
      <ProblemAlert messages={general} title={t("apply.problems")} />
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={busy} disabled={!bundle.data}>
          {t("bundles.submit")}
        </Button>
        <span className="muted">{t("bundles.submitHint")}</span>
      </Space>
    </Form>
  );
}

/** 一件事收件: identify the person at the counter, then take the whole bundle in one submission. */
export default function NewBundlePage() {
  const { t } = useTranslation("window");
  useDocumentTitle(t("bundles.newTitle"));
  const [person, setPerson] = useState<Person | null>(null);
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("bundles.newTitle")}
      </Typography.Title>
      <Card className="window-card" title={<h2 className="card-title">{t("new.step1")}</h2>}>
        {person ? <PersonCard person={person} onChange={() => setPerson(null)} /> : <Identify onFound={setPerson} />}
      </Card>
      <Card className="window-card" title={<h2 className="card-title">{t("bundles.step2")}</h2>}>
        {person ? <BundleFor person={person} /> : <p className="muted">{t("new.identifyFirst")}</p>}
      </Card>
    </div>
  );
}
