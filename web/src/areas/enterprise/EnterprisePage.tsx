import { useState } from "react";
import { Link, useParams } from "react-router";
import { Alert, Breadcrumb, Button, DatePicker, Descriptions, Empty, Form, Input, Popconfirm, Radio, Select, Skeleton, Switch } from "antd";
import { SendOutlined, StopOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import dayjs, { type Dayjs } from "dayjs";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { ENTERPRISES, EnterpriseStatusTag, GRANTS, GrantFacts, GrantStatusTag, fieldOfProblem, type Enterprise, type Grant, type GrantCreate } from "./shared";
import "./enterprise.css";

interface GrantForm {
  grantee_name: string;
  grantee_resident_id: string;
  scopeKind: "all" | "items";
  items?: string[];
  valid_until: Dayjs;
  may_delegate: boolean;
}

const FORM_FIELDS = ["grantee_name", "grantee_resident_id", "items", "valid_until", "may_delegate"];
/** API fields (`body.scope.3`) as this form's fields. */
const ALIASES: Record<string, string> = Object.fromEntries([
  ["body.scope", "items"],
  ...Array.from({ length: 50 }, (_v, i) => [`body.scope.${i}`, "items"]),
]);

function GrantFormSection({ enterprise }: { enterprise: Enterprise }) {
  const { t } = useTranslation("enterprise");
  const [form] = Form.useForm<GrantForm>();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [messages, setMessages] = useState<string[]>([]);
  const [done, setDone] = useState<Grant | null>(null);
  const scopeKind = Form.useWatch("scopeKind", form);
  const create = useMutation({
    mutationFn: (values: GrantForm) => {
      const body: GrantCreate = {
        grantee_name: values.grantee_name.trim(),
        grantee_resident_id: values.grantee_resident_id.trim().toUpperCase(),
        scope: values.scopeKind === "all" ? ["*"] : (values.items ?? []).map((c) => c.trim()).filter(Boolean),
        // The last day is a day in the district (Beijing time), whatever the device's zone.
        valid_until: `${values.valid_until.format("YYYY-MM-DD")}T23:59:59+08:00`,
        may_delegate: values.may_delegate,
      };
      return unwrap(
        api.POST("/api/identity/v1/enterprises/{enterprise_id}/grants", { params: { path: { enterprise_id: enterprise.id } }, body }),
      );
    },
    onSuccess: (grant) => {
      setDone(grant);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: [MY, GRANTS] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.problem) {
        const named = fieldOfProblem(error.problem, { "identity.grantee_not_found": "grantee_resident_id" });
        if (named) {
          form.setFields([named]);
          setMessages([]);
        } else setMessages(applyProblemToForm(form, error.problem, FORM_FIELDS, ALIASES));
      } else setMessages([errorText(error)]);
    },
  });

  return (
    <section className="section ent-panel" aria-labelledby="grant-new">
      <h2 id="grant-new">{t("grantForm.title")}</h2>
      <p className="muted-p">{t("grantForm.intro")}</p>
      {done ? (
        <Alert type="success" showIcon role="status" className="form-alert" message={t("grantForm.done", { name: done.grantee.name })} description={t("grantForm.doneText")} />
      ) : null}
      {messages.length > 0 ? <Alert type="error" showIcon role="alert" className="form-alert" message={messages.join(" ")} /> : null}
      <Form<GrantForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={create.isPending}
        initialValues={{ scopeKind: "all", may_delegate: false, valid_until: dayjs().add(1, "year") }}
        onFinish={(values) => {
          setMessages([]);
          setDone(null);
          create.mutate(values);
        }}
      >
        <div className="ent-form-row">
          <Form.Item
            name="grantee_name"
            label={t("grantForm.name")}
            rules={[{ required: true, whitespace: true, message: t("grantForm.nameRequired") }, { max: 100, message: t("grantForm.tooLong", { max: 100 }) }]}
          >
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="grantee_resident_id"
            label={t("grantForm.residentId")}
            extra={t("grantForm.residentIdHint")}
            rules={[
              { required: true, whitespace: true, message: t("grantForm.residentIdRequired") },
              { pattern: /^\s*\d{17}[\dXx]\s*$/, message: t("grantForm.residentIdFormat") },
            ]}
          >
            <Input autoComplete="off" spellCheck={false} maxLength={20} className="ent-code" />
          </Form.Item>
        </div>
        <Form.Item name="scopeKind" label={t("grantForm.scope")}>
          <Radio.Group>
            <Radio value="all">{t("grantForm.scopeAll")}</Radio>
            <Radio value="items">{t("grantForm.scopeItems")}</Radio>
          </Radio.Group>
        </Form.Item>
        {scopeKind === "items" ? (
          <Form.Item
            name="items"
            label={t("grantForm.items")}
            extra={t("grantForm.itemsHint")}
            rules={[{ required: true, type: "array", min: 1, message: t("grantForm.itemsRequired") }]}
          >
            <Select mode="tags" open={false} tokenSeparators={[",", "，", " ", "、"]} aria-label={t("grantForm.items")} suffixIcon={null} />
          </Form.Item>
        ) : null}
        <div className="ent-form-row">
          <Form.Item name="valid_until" label={t("grantForm.validUntil")} rules={[{ required: true, message: t("grantForm.validUntilRequired") }]}>
            <DatePicker
              style={{ width: "100%" }}
              allowClear={false}
              disabledDate={(d) => d.isBefore(dayjs(), "day")}
              inputReadOnly
            />
          </Form.Item>
          <Form.Item name="may_delegate" label={t("grantForm.mayDelegate")} valuePropName="checked" extra={t("grantForm.mayDelegateHint")}>
            <Switch />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" icon={<SendOutlined aria-hidden />} loading={create.isPending}>
          {t("grantForm.submit")}
        </Button>
      </Form>
    </section>
  );
}

function GrantRow({ grant, canRevoke }: { grant: Grant; canRevoke: boolean }) {
  const { t } = useTranslation("enterprise");
  const queryClient = useQueryClient();
  const [reason, setReason] = useState("");
  const revoke = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/identity/v1/grants/{grant_id}/revoke", {
          params: { path: { grant_id: grant.id } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: [MY, GRANTS] }),
  });
  const live = grant.status === "pending" || grant.status === "active";
  const headingId = `grant-${grant.id}`;
  return (
    <li className="ent-card" aria-labelledby={headingId}>
      <div className="ent-card-head">
        <h3 id={headingId} className="ent-card-title">
          {t("grants.grantee", { name: grant.grantee.name })}
        </h3>
        <GrantStatusTag status={grant.status} />
      </div>
      <GrantFacts grant={grant} />
      {grant.parent_grant_id ? <p className="muted">{t("grants.delegated")}</p> : null}
      {revoke.isError ? <ErrorAlert error={revoke.error} /> : null}
      {canRevoke && live ? (
        <Popconfirm
          title={t("grants.revokeConfirm", { name: grant.grantee.name })}
          description={
            <Input
              aria-label={t("grants.revokeReason")}
              placeholder={t("grants.revokeReason")}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
          }
          okText={t("grants.revoke")}
          cancelText={t("grants.cancel")}
          okButtonProps={{ danger: true }}
          overlayClassName="ent-popconfirm"
          onConfirm={() => revoke.mutate()}
        >
          <Button danger icon={<StopOutlined aria-hidden />} loading={revoke.isPending}>
            {t("grants.revoke")}
            <span className="visually-hidden">{t("grants.ofName", { name: grant.grantee.name })}</span>
          </Button>
        </Popconfirm>
      ) : null}
    </li>
  );
}

function Grants({ enterprise }: { enterprise: Enterprise }) {
  const { t } = useTranslation("enterprise");
  const { claims } = useSession();
  const grants = useQuery({
    queryKey: [MY, GRANTS, "enterprise", enterprise.id],
    queryFn: () =>
      unwrap(api.GET("/api/identity/v1/grants", { params: { query: { enterprise_id: enterprise.id, limit: 200 } } })),
  });
  const rep = enterprise.relation === "legal_representative";
  return (
    <section className="section" aria-labelledby="grants-title">
      <h2 id="grants-title">{t("grants.title")}</h2>
      {grants.isPending ? <Skeleton active /> : null}
      {grants.isError ? <ErrorAlert error={grants.error} onRetry={() => void grants.refetch()} /> : null}
      {grants.data && grants.data.items.length === 0 ? <Empty description={t("grants.none")} /> : null}
      {grants.data && grants.data.items.length > 0 ? (
        <ul className="ent-list">
          {grants.data.items.map((g) => (
            <GrantRow key={g.id} grant={g} canRevoke={rep || g.grantor_id === claims?.sub} />
          ))}
        </ul>
      ) : null}
    </section>
  );
}

function Detail() {
  const { t } = useTranslation("enterprise");
  const { id = "" } = useParams();
  const { claims } = useSession();
  const enterprise = useQuery({
    queryKey: [MY, ENTERPRISES, id],
    queryFn: () => unwrap(api.GET("/api/identity/v1/enterprises/{enterprise_id}", { params: { path: { enterprise_id: id } } })),
  });
  // An agent may grant further only under a confirmed grant that allows it (转授权).
  const delegable = useQuery({
    queryKey: [MY, GRANTS, "held", id],
    queryFn: () => unwrap(api.GET("/api/identity/v1/grants", { params: { query: { enterprise_id: id, status: "active", limit: 200 } } })),
    enabled: enterprise.data?.relation === "agent",
  });
  const e = enterprise.data;
  useDocumentTitle(e?.name ?? t("title"));
  const rep = e?.relation === "legal_representative";
  const mayGrant =
    e?.status === "verified" && (rep || (delegable.data?.items ?? []).some((g) => g.grantee.id === claims?.sub && g.may_delegate && g.current));
  const notFound = enterprise.error instanceof ApiError && enterprise.error.status === 404;

  return (
    <div className="page enterprise">
      <Breadcrumb items={[{ title: <Link to="/enterprise">{t("title")}</Link> }, { title: e?.name ?? t("detail.title") }]} />
      <h1 tabIndex={-1}>{e?.name ?? t("detail.title")}</h1>
      {enterprise.isPending ? <Skeleton active /> : null}
      {notFound ? <Empty description={t("detail.notFound")} /> : null}
      {enterprise.isError && !notFound ? <ErrorAlert error={enterprise.error} onRetry={() => void enterprise.refetch()} /> : null}
      {e ? (
        <>
          <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }} className="ent-descriptions">
            <Descriptions.Item label={t("enterprise.uscc")}>
              <span className="ent-code">{e.uscc}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t("enterprise.status")}>
              <EnterpriseStatusTag status={e.status} />
            </Descriptions.Item>
            <Descriptions.Item label={t("enterprise.legalRep")}>{e.legal_representative.name}</Descriptions.Item>
            <Descriptions.Item label={t("enterprise.relation")}>{t(`relation.${e.relation}`)}</Descriptions.Item>
            <Descriptions.Item label={t("enterprise.registeredAt")}>{formatDateTime(e.created_at)}</Descriptions.Item>
            <Descriptions.Item label={t("enterprise.reviewedAt")}>{formatDateTime(e.reviewed_at)}</Descriptions.Item>
          </Descriptions>
          {e.status === "pending" ? (
            <Alert type="warning" showIcon className="section" message={t("enterprise.pendingTitle")} description={t("enterprise.pendingText")} />
          ) : null}
          {mayGrant ? <GrantFormSection enterprise={e} /> : null}
          {e.status === "verified" ? <Grants enterprise={e} /> : null}
        </>
      ) : null}
    </div>
  );
}

export default function EnterprisePage() {
  return (
    <RequireCitizen>
      <Detail />
    </RequireCitizen>
  );
}
