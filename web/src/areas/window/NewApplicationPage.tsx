import { useMemo, useRef, useState } from "react";
import { useNavigate } from "react-router";
import { Alert, Button, Card, Checkbox, Descriptions, Empty, Form, Input, Radio, Select, Skeleton, Space, Tag, Typography } from "antd";
import { IdcardOutlined, SearchOutlined, UserAddOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
// The apply area's pure helpers (which materials an item asks for under the conditions chosen).
import { conditionsOf, slotsOf, withCommitment } from "../apply/model";
import { CommitmentOffer } from "../apply/Commitment";
import { newIdempotencyKey } from "../apply/idempotency";
import { isResidentId, lookupKind, MOBILE, receivedMaterials, type WindowSlot } from "./model";
import { grantRefusal, type Enterprise, type GrantReason } from "./enterprise";
import { ApplicantKind, GrantStatus, useRefusalText } from "./EnterprisePicker";
import "./window.css";

export interface Person {
  id: string;
  name: string;
  residentId: string | null;
  phone: string;
  hasLogin: boolean;
  registered?: boolean;
}

/** Step 1: find the person at the counter by resident ID or mobile (the lookup is recorded with its reason). */
export function Identify({ onFound }: { onFound: (p: Person) => void }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<{ key: string; reason: string }>();
  const [notFound, setNotFound] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const onFinish = async ({ key, reason }: { key: string; reason: string }) => {
    const kind = lookupKind(key);
    if (!kind) return;
    setBusy(true);
    setError(null);
    setNotFound(null);
    try {
      const found = await unwrap(
        api.POST("/api/identity/v1/persons/lookup", { body: { [kind]: key.trim().toUpperCase(), reason: reason.trim() } }),
      );
      onFound({ id: found.id, name: found.name, residentId: found.resident_id, phone: found.phone, hasLogin: found.has_login });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) setNotFound(key.trim());
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Form form={form} layout="vertical" name="identify" onFinish={(v) => void onFinish(v)} initialValues={{ reason: t("identify.defaultReason") }} requiredMark={false}>
        <div className="window-identify">
          <Form.Item
            name="key"
            label={t("identify.key")}
            extra={t("identify.keyHint")}
            rules={[
              { required: true, message: t("identify.keyRequired") },
              { validator: (_, v: string) => (!v || lookupKind(v) ? Promise.resolve() : Promise.reject(new Error(t("identify.keyInvalid")))) },
            ]}
          >
            <Input prefix={<IdcardOutlined aria-hidden />} autoComplete="off" maxLength={18} />
          </Form.Item>
          <Form.Item name="reason" label={t("identify.reason")} rules={[{ required: true, whitespace: true, message: t("identify.reasonRequired") }]}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item label=" " className="window-identify-button">
            <Button type="primary" htmlType="submit" icon={<SearchOutlined aria-hidden />} loading={busy}>
              {t("identify.find")}
            </Button>
          </Form.Item>
        </div>
      </Form>
      {error ? <ErrorAlert error={error} /> : null}
      {notFound ? <WalkIn typed={notFound} onRegistered={onFound} /> : null}
    </>
  );
}

interface WalkInValues {
  name: string;
  id_type: "resident_id" | "passport";
  resident_id?: string;
  passport_number?: string;
  nationality?: string;
  phone: string;
}

/** Nobody found: register the person at the window (窗口登记), without a password; they claim it online later. */
function WalkIn({ typed, onRegistered }: { typed: string; onRegistered: (p: Person) => void }) {
  const { t } = useTranslation("window");
  const [form] = Form.useForm<WalkInValues>();
  const idType = Form.useWatch("id_type", form) ?? "resident_id";
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const kind = lookupKind(typed);
  const onFinish = async (v: WalkInValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      const body =
        v.id_type === "resident_id"
          ? { name: v.name.trim(), id_type: v.id_type, resident_id: v.resident_id?.trim().toUpperCase(), phone: v.phone.trim() }
          : { name: v.name.trim(), id_type: v.id_type, passport_number: v.passport_number?.trim(), nationality: v.nationality?.trim().toUpperCase(), phone: v.phone.trim() };
      const p = await unwrap(api.POST("/api/identity/v1/persons/walk-ins", { body }));
      onRegistered({ id: p.id, name: p.name, residentId: p.resident_id, phone: p.phone, hasLogin: p.has_login, registered: true });
    } catch (e) {
      if (e instanceof ApiError && e.problem) setGeneral(applyProblemToForm(form, e.problem, ["name", "resident_id", "passport_number", "nationality", "phone"]));
      else setGeneral([e instanceof Error ? e.message : String(e)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" className="window-walkin" title={<h3 className="card-title">{t("walkIn.title")}</h3>}>
      <Alert type="info" showIcon message={t("walkIn.notFound", { key: typed })} description={t("walkIn.hint")} className="window-gap" />
      <ProblemAlert messages={general} title={t("walkIn.problems")} />
      <Form
        form={form}
        layout="vertical"
        name="walkin"
        onFinish={(v) => void onFinish(v)}
        initialValues={{ id_type: "resident_id", resident_id: kind === "resident_id" ? typed.toUpperCase() : undefined, phone: kind === "phone" ? typed : undefined }}
      >
        <div className="window-grid">
          <Form.Item name="name" label={t("walkIn.name")} rules={[{ required: true, whitespace: true, message: t("walkIn.nameRequired") }]}>
            <Input maxLength={50} autoComplete="off" />
          </Form.Item>
          <Form.Item name="id_type" label={t("walkIn.idType")}>
            <Radio.Group options={[{ value: "resident_id", label: t("walkIn.residentId") }, { value: "passport", label: t("walkIn.passport") }]} />
          </Form.Item>
          {idType === "resident_id" ? (
            <Form.Item
              name="resident_id"
              label={t("walkIn.residentIdNo")}
              rules={[{ required: true, message: t("walkIn.residentIdRequired") }, { validator: (_, v: string) => (!v || isResidentId(v) ? Promise.resolve() : Promise.reject(new Error(t("walkIn.residentIdInvalid")))) }]}
            >
              <Input maxLength={18} autoComplete="off" />
            </Form.Item>
          ) : (
            <>
              <Form.Item name="passport_number" label={t("walkIn.passportNo")} rules={[{ required: true, whitespace: true, message: t("walkIn.passportRequired") }]}>
                <Input maxLength={30} autoComplete="off" />
              </Form.Item>
              <Form.Item name="nationality" label={t("walkIn.nationality")} extra={t("walkIn.nationalityHint")} rules={[{ required: true, pattern: /^[A-Za-z]{3}$/, message: t("walkIn.nationalityRequired") }]}>
                <Input maxLength={3} autoComplete="off" />
              </Form.Item>
            </>
          )}
          <Form.Item name="phone" label={t("walkIn.phone")} rules={[{ required: true, pattern: MOBILE, message: t("walkIn.phoneInvalid") }]}>
            <Input maxLength={11} inputMode="numeric" autoComplete="off" />
          </Form.Item>
        </div>
        <Button htmlType="submit" icon={<UserAddOutlined aria-hidden />} loading={busy}>
          {t("walkIn.register")}
        </Button>
      </Form>
    </Card>
  );
}

export function PersonCard({ person, onChange }: { person: Person; onChange: () => void }) {
  const { t } = useTranslation("window");
  return (
    <div className="window-person">
      <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 4 }} bordered>
        <Descriptions.Item label={t("identify.name")}>{person.name}</Descriptions.Item>
        <Descriptions.Item label={t("identify.residentId")}>{person.residentId ?? "—"}</Descriptions.Item>
        <Descriptions.Item label={t("identify.phone")}>{person.phone}</Descriptions.Item>
        <Descriptions.Item label={t("identify.account")}>
          {person.hasLogin ? <Tag color="blue">{t("identify.hasLogin")}</Tag> : <Tag>{t("identify.noLogin")}</Tag>}
          {person.registered ? <Tag color="green">{t("identify.registered")}</Tag> : null}
        </Descriptions.Item>
      </Descriptions>
      <Button type="link" onClick={onChange}>
        {t("identify.change")}
      </Button>
    </div>
  );
}

interface ApplyValues {
  item?: string;
  conditions?: string[];
  received?: Record<string, boolean>;
  delivery: "window" | "post" | "locker";
  address?: string;
  /** 告知承诺 signed by the person at the counter in place of the materials it replaces. */
  commit?: boolean;
}

/** intake's refusal of an enterprise's application for want of a grant, in the clerk's words with what to do. */
function GrantRefused({ reason, person, enterprise }: { reason: GrantReason; person: Person; enterprise: Enterprise }) {
  const { t } = useTranslation("window");
  const text = useRefusalText()(reason, person, enterprise);
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      className="form-alert"
      message={t("grant.refusedTitle", { person: person.name, enterprise: enterprise.name })}
      description={
        <>
          <p className="window-todo">{text.what}</p>
          <p className="window-todo">{text.todo}</p>
        </>
      }
    />
  );
}

/**
 * Step 2: the item (from the catalogue) and the materials taken in at the counter; submitted on the
 * window channel, for the person or for the enterprise they act for (intake checks the grant).
 */
function ApplyFor({ person, enterprise }: { person: Person; enterprise: Enterprise | null | undefined }) {
  const { t } = useTranslation("window");
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [form] = Form.useForm<ApplyValues>();
  const [q, setQ] = useState("");
  const code = Form.useWatch("item", form);
  const chosen = Form.useWatch("conditions", form) ?? [];
  const delivery = Form.useWatch("delivery", form) ?? "window";
  const commit = Form.useWatch("commit", form) ?? false;
  const [general, setGeneral] = useState<string[]>([]);
  const [refused, setRefused] = useState<GrantReason | null>(null);
  const [busy, setBusy] = useState(false);
  const idempotency = useRef<{ body: string; key: string } | null>(null);

  const items = useQuery({
    queryKey: ["window", "items", q],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items", { params: { query: { q: q || undefined, limit: 30 } } })),
    staleTime: 60_000,
  });
  const guide = useQuery({
    queryKey: ["guide", code],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items/{code}/guide", { params: { path: { code: code ?? "" } } })),
    enabled: Boolean(code),
  });
  const slots: WindowSlot[] = useMemo(
    () =>
      guide.data
        ? withCommitment(slotsOf(guide.data.materials, chosen), guide.data.commitment?.replaces ?? [], Boolean(guide.data.commitment) && commit).map((s) => ({
            key: s.key,
            name: s.name,
            needed: s.needed,
            exempt: s.provision === "exempt",
            committed: Boolean(s.committed),
            originals: s.originals,
            copies: s.copies,
          }))
        : [],
    [guide.data, chosen.join("\u0000"), commit],
  );
  const conditions = guide.data ? conditionsOf(guide.data.materials) : [];
  const options = (items.data?.items ?? []).filter((i) => i.status === "published").map((i) => ({ value: i.code, label: `${i.name}（${i.owner_unit_name}）` }));

  const onFinish = async (v: ApplyValues) => {
    if (!v.item) return;
    setRefused(null);
    // undefined: for the person; null: for an enterprise not chosen yet.
    if (enterprise === null) {
      setGeneral([t("grant.chooseFirst")]);
      return;
    }
    const materials = receivedMaterials(slots, v.received ?? {});
    const wish: Record<string, string> = { mode: v.delivery };
    if (v.delivery === "post" && v.address?.trim()) wish.address = v.address.trim();
    const body = {
      item_code: v.item,
      applicant: { id: person.id },
      conditions: conditions.filter((c) => chosen.includes(c.name)).map((c) => c.name),
      form: { delivery: wish },
      materials,
      ...(enterprise ? { enterprise_id: enterprise.id } : {}),
      ...(guide.data?.commitment && v.commit ? { commitment: { agreed: true as const, signatory: person.name } } : {}),
    };
    const text = JSON.stringify(body);
    if (idempotency.current?.body !== text) idempotency.current = { body: text, key: newIdempotencyKey() };
    setBusy(true);
    setGeneral([]);
    try {
      const app = await unwrap(api.POST("/api/intake/v1/applications", { body, params: { header: { "Idempotency-Key": idempotency.current.key } } }));
      await queryClient.invalidateQueries({ queryKey: [MY, "window"] });
      navigate(`/work/window/cases/${encodeURIComponent(app.id)}`, { state: { created: true } });
    } catch (e) {
      setBusy(false);
      const refusal = e instanceof ApiError ? grantRefusal(e.problem) : null;
      if (refusal && enterprise) setRefused(refusal);
      else if (e instanceof ApiError && e.problem) setGeneral(applyProblemToForm(form, e.problem, ["item", "address"], { "body.item_code": "item", "body.form.delivery.address": "address" }));
      else setGeneral([errorText(e)]);
    }
  };

  return (
    <Form form={form} layout="vertical" name="apply" onFinish={(v) => void onFinish(v)} initialValues={{ delivery: "window" }}>
      <Form.Item
        name="item"
        label={t("apply.item")}
        // A validator, not `required`: antd would put aria-required on the select's wrapper, which has no role.
        rules={[{ validator: (_, v: string | undefined) => (v ? Promise.resolve() : Promise.reject(new Error(t("apply.itemRequired")))) }]}
      >
        <Select
          showSearch
          filterOption={false}
          onSearch={setQ}
          options={options}
          loading={items.isFetching}
          placeholder={t("apply.itemPlaceholder")}
          notFoundContent={items.isFetching ? <Skeleton.Input active size="small" /> : <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("apply.noItems")} />}
          onChange={() => form.setFieldsValue({ conditions: [], received: {} })}
        />
      </Form.Item>
      {guide.isFetching && !guide.data ? <Skeleton active /> : null}
      {guide.error ? <ErrorAlert error={guide.error} /> : null}
      {guide.data ? (
        <>
          <Descriptions size="small" column={{ xs: 1, md: 3 }} className="window-gap window-desc">
            <Descriptions.Item label={t("apply.unit")}>{guide.data.implementing_unit.name}</Descriptions.Item>
            <Descriptions.Item label={t("apply.handlingType")}>{guide.data.handling_type?.label ?? "—"}</Descriptions.Item>
            <Descriptions.Item label={t("apply.limit")}>
              {guide.data.promised_limit ? `${guide.data.promised_limit.value} ${guide.data.promised_limit.unit.label}` : "—"}
            </Descriptions.Item>
          </Descriptions>
          {enterprise ? <GrantStatus agent={person} enterprise={enterprise} itemCode={code} /> : null}
          {conditions.length > 0 ? (
            <Form.Item name="conditions" label={t("apply.conditions")}>
              <Checkbox.Group options={conditions.map((c) => ({ value: c.name, label: c.condition }))} />
            </Form.Item>
          ) : null}
          {guide.data.commitment ? (
            <fieldset className="window-materials window-commitment">
              <legend>{t("apply.commitment")}</legend>
              <p className="muted">{t("apply.commitmentHint")}</p>
              <Form.Item name="commit" valuePropName="checked" noStyle>
                <CommitmentOffer commitment={guide.data.commitment} />
              </Form.Item>
            </fieldset>
          ) : null}
          <fieldset className="window-materials">
            <legend>{t("apply.materials")}</legend>
            <p className="muted">{t("apply.materialsHint")}</p>
            <ul>
              {slots.map((s) =>
                s.exempt ? (
                  <li key={s.key} className="muted">
                    {s.name} · {t("apply.exempt")}
                  </li>
                ) : s.committed ? (
                  <li key={s.key} className="muted">
                    {s.name} · {t("apply.committed")}
                  </li>
                ) : s.needed ? (
                  <li key={s.key}>
                    <Form.Item name={["received", s.key]} valuePropName="checked" noStyle>
                      <Checkbox>
                        {s.name}
                        <span className="muted"> · {t("apply.counts", { originals: s.originals, copies: s.copies })}</span>
                      </Checkbox>
                    </Form.Item>
                  </li>
                ) : null,
              )}
            </ul>
          </fieldset>
          <Form.Item name="delivery" label={t("apply.delivery")}>
            <Radio.Group
              options={(["window", "post", "locker"] as const)
                .filter((m) => m !== "post" || guide.data.post_delivery_supported)
                .map((m) => ({ value: m, label: t(`deliver.mode.${m}`) }))}
            />
          </Form.Item>
          {delivery === "post" ? (
            <Form.Item name="address" label={t("apply.address")} rules={[{ required: true, whitespace: true, message: t("apply.addressRequired") }]}>
              <Input maxLength={200} />
            </Form.Item>
          ) : null}
        </>
      ) : null}
      <ProblemAlert messages={general} title={t("apply.problems")} />
      {refused && enterprise ? <GrantRefused reason={refused} person={person} enterprise={enterprise} /> : null}
      <Space wrap>
        <Button type="primary" htmlType="submit" loading={busy} disabled={!guide.data}>
          {t("apply.submit")}
        </Button>
        <span className="muted">{t("apply.submitHint")}</span>
      </Space>
    </Form>
  );
}

/** 窗口收件: identify the person at the counter, then file their application on the window channel. */
export default function NewApplicationPage() {
  const { t } = useTranslation("window");
  useDocumentTitle(t("new.title"));
  const [person, setPerson] = useState<Person | null>(null);
  const [forEnterprise, setForEnterprise] = useState(false);
  const [enterprise, setEnterprise] = useState<Enterprise | null>(null);
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("new.title")}
      </Typography.Title>
      <Card className="window-card" title={<h2 className="card-title">{t("new.step1")}</h2>}>
        {person ? (
          <>
            <PersonCard person={person} onChange={() => setPerson(null)} />
            <ApplicantKind agent={person} forEnterprise={forEnterprise} enterprise={enterprise} onKind={setForEnterprise} onEnterprise={setEnterprise} />
          </>
        ) : (
          <Identify onFound={setPerson} />
        )}
      </Card>
      <Card className="window-card" title={<h2 className="card-title">{t("new.step2")}</h2>}>
        {person ? <ApplyFor person={person} enterprise={forEnterprise ? enterprise : undefined} /> : <p className="muted">{t("new.identifyFirst")}</p>}
      </Card>
    </div>
  );
}
