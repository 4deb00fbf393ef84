import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Alert, Button, Empty, Form, Input, Skeleton, Space } from "antd";
import { CheckOutlined, PlusOutlined, SwapOutlined } from "@ant-design/icons";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { actFor } from "../../layout/acting";
import { normaliseUscc, usccProblem } from "./uscc";
import { ENTERPRISES, EnterpriseStatusTag, GRANTS, GrantFacts, fieldOfProblem, type Enterprise, type Grant } from "./shared";
import "./enterprise.css";

interface Registration {
  name: string;
  uscc: string;
}

function useEnterprises() {
  return useQuery({
    queryKey: [MY, ENTERPRISES],
    queryFn: () => unwrap(api.GET("/api/identity/v1/enterprises", { params: { query: { limit: 200 } } })),
  });
}

function EnterpriseCard({ enterprise }: { enterprise: Enterprise }) {
  const { t } = useTranslation("enterprise");
  const navigate = useNavigate();
  const errorText = useErrorText();
  const { acting } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [switching, setSwitching] = useState(false);
  const rep = enterprise.relation === "legal_representative";
  const verified = enterprise.status === "verified";
  const actingHere = acting?.enterpriseId === enterprise.id;
  const headingId = `ent-${enterprise.id}`;

  const onActFor = async () => {
    setSwitching(true);
    setError(null);
    try {
      await actFor({ id: enterprise.id, name: enterprise.name });
      navigate("/enterprise/applications");
    } catch (e) {
      setError(errorText(e));
      setSwitching(false);
    }
  };

  return (
    <article className="ent-card" aria-labelledby={headingId}>
      <div className="ent-card-head">
        <h3 id={headingId} className="ent-card-title">
          {enterprise.name}
        </h3>
        <EnterpriseStatusTag status={enterprise.status} />
      </div>
      <dl className="ent-facts">
        <dt>{t("enterprise.uscc")}</dt>
        <dd className="ent-code">{enterprise.uscc}</dd>
        <dt>{t("enterprise.relation")}</dt>
        <dd>{t(`relation.${enterprise.relation}`)}</dd>
        <dt>{t("enterprise.legalRep")}</dt>
        <dd>{enterprise.legal_representative.name}</dd>
        <dt>{t("enterprise.registeredAt")}</dt>
        <dd>{formatDateTime(enterprise.created_at)}</dd>
      </dl>
      {enterprise.status === "pending" ? (
        <Alert type="warning" showIcon className="ent-alert" message={t("enterprise.pendingTitle")} description={t("enterprise.pendingText")} />
      ) : null}
      {enterprise.status === "rejected" ? (
        <Alert
          type="error"
          showIcon
          className="ent-alert"
          message={t("enterprise.rejectedTitle")}
          description={enterprise.review_note ? t("enterprise.rejectedReason", { reason: enterprise.review_note }) : t("enterprise.rejectedText")}
        />
      ) : null}
      {error ? <Alert type="error" showIcon role="alert" className="ent-alert" message={error} /> : null}
      <Space wrap className="ent-actions">
        {verified && !actingHere ? (
          <Button type="primary" icon={<SwapOutlined aria-hidden />} loading={switching} onClick={() => void onActFor()}>
            {t("enterprise.actFor")}
          </Button>
        ) : null}
        {actingHere ? <Link to="/enterprise/applications">{t("enterprise.applications")}</Link> : null}
        {rep || verified ? (
          <Link to={`/enterprise/${encodeURIComponent(enterprise.id)}`}>
            {rep ? t("enterprise.manage") : t("enterprise.details")}
            <span className="visually-hidden">{t("enterprise.ofName", { name: enterprise.name })}</span>
          </Link>
        ) : null}
      </Space>
    </article>
  );
}

/** Grants offered to me that wait for my confirmation (I am the grantee). */
function Offers() {
  const { t } = useTranslation("enterprise");
  const { claims } = useSession();
  const queryClient = useQueryClient();
  const offers = useQuery({
    queryKey: [MY, GRANTS, "pending"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/grants", { params: { query: { status: "pending", limit: 200 } } })),
  });
  const confirm = useMutation({
    mutationFn: (grant: Grant) =>
      unwrap(api.POST("/api/identity/v1/grants/{grant_id}/confirm", { params: { path: { grant_id: grant.id } } })),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: [MY, GRANTS] });
      void queryClient.invalidateQueries({ queryKey: [MY, ENTERPRISES] });
    },
  });
  const mine = (offers.data?.items ?? []).filter((g) => g.grantee.id === claims?.sub);
  if (offers.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (offers.isError) return <ErrorAlert error={offers.error} onRetry={() => void offers.refetch()} />;
  const confirmed = confirm.isSuccess ? <Alert type="success" showIcon role="status" message={t("offers.confirmed")} /> : null;
  // The confirmed offer leaves the pending list when it is fetched again: the message outlives it.
  if (mine.length === 0) return confirmed;
  return (
    <section className="section" aria-labelledby="ent-offers">
      <h2 id="ent-offers">{t("offers.title")}</h2>
      <p className="muted-p">{t("offers.intro")}</p>
      {confirm.isError ? <ErrorAlert error={confirm.error} /> : null}
      <ul className="ent-list">
        {mine.map((grant) => (
          <li key={grant.id} className="ent-card">
            <h3 className="ent-card-title">{t("offers.offer", { date: formatDateTime(grant.created_at) })}</h3>
            <GrantFacts grant={grant} />
            <Button
              type="primary"
              icon={<CheckOutlined aria-hidden />}
              loading={confirm.isPending && confirm.variables?.id === grant.id}
              onClick={() => confirm.mutate(grant)}
            >
              {t("offers.confirm")}
            </Button>
          </li>
        ))}
      </ul>
      {confirmed}
    </section>
  );
}

function RegisterForm() {
  const { t } = useTranslation("enterprise");
  const [form] = Form.useForm<Registration>();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [messages, setMessages] = useState<string[]>([]);
  const [done, setDone] = useState<Enterprise | null>(null);
  const register = useMutation({
    mutationFn: (values: Registration) =>
      unwrap(api.POST("/api/identity/v1/enterprises", { body: { name: values.name.trim(), uscc: normaliseUscc(values.uscc) } })),
    onSuccess: (enterprise) => {
      setDone(enterprise);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: [MY, ENTERPRISES] });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.problem) {
        const named = fieldOfProblem(error.problem, {
          "identity.enterprise_exists": "uscc",
          "identity.enterprise_claim_exists": "uscc",
        });
        if (named) {
          form.setFields([named]);
          setMessages([]);
        } else {
          setMessages(applyProblemToForm(form, error.problem, ["name", "uscc"]));
        }
      } else {
        setMessages([errorText(error)]);
      }
    },
  });

  return (
    <section className="section ent-register" aria-labelledby="ent-register">
      <h2 id="ent-register">{t("register.title")}</h2>
      <p className="muted-p">{t("register.intro")}</p>
      {done ? (
        <Alert
          type="success"
          showIcon
          role="status"
          className="form-alert"
          message={t("register.done", { name: done.name })}
          description={t("register.doneText")}
        />
      ) : null}
      {messages.length > 0 ? (
        <Alert type="error" showIcon role="alert" className="form-alert" message={messages.join(" ")} />
      ) : null}
      <Form<Registration>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={register.isPending}
        onFinish={(values) => {
          setMessages([]);
          setDone(null);
          register.mutate(values);
        }}
      >
        <Form.Item
          name="name"
          label={t("register.name")}
          rules={[
            { required: true, whitespace: true, message: t("register.nameRequired") },
            { max: 200, message: t("register.tooLong", { max: 200 }) },
          ]}
        >
          <Input size="large" autoComplete="organization" />
        </Form.Item>
        <Form.Item
          name="uscc"
          label={t("register.uscc")}
          extra={t("register.usccHint")}
          validateTrigger="onBlur"
          rules={[
            { required: true, whitespace: true, message: t("register.usccRequired") },
            {
              validator: async (_rule, value: string | undefined) => {
                if (!value || !value.trim()) return;
                const problem = usccProblem(normaliseUscc(value));
                if (problem) throw new Error(t(`register.usccProblem.${problem}`));
              },
            },
          ]}
        >
          <Input size="large" autoComplete="off" spellCheck={false} maxLength={24} className="ent-code" />
        </Form.Item>
        <Button type="primary" htmlType="submit" size="large" icon={<PlusOutlined aria-hidden />} loading={register.isPending}>
          {t("register.submit")}
        </Button>
      </Form>
    </section>
  );
}

function Enterprises() {
  const { t } = useTranslation("enterprise");
  const list = useEnterprises();
  const { acting } = useSession();
  useDocumentTitle(t("title"));
  return (
    <div className="page enterprise">
      <h1 tabIndex={-1}>{t("title")}</h1>
      <p className="muted-p">{t("intro")}</p>
      {acting ? (
        <Alert
          type="info"
          showIcon
          className="section"
          message={t("actingNow", { name: acting.name })}
          action={<Link to="/enterprise/applications">{t("enterprise.applications")}</Link>}
        />
      ) : null}
      <Offers />
      <section className="section" aria-labelledby="ent-mine">
        <h2 id="ent-mine">{t("mine.title")}</h2>
        {list.isPending ? <Skeleton active /> : null}
        {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
        {list.data && list.data.items.length === 0 ? <Empty description={t("mine.none")} /> : null}
        {list.data && list.data.items.length > 0 ? (
          <div className="ent-grid">
            {list.data.items.map((e) => (
              <EnterpriseCard key={e.id} enterprise={e} />
            ))}
          </div>
        ) : null}
      </section>
      <RegisterForm />
    </div>
  );
}

export default function EnterprisesPage() {
  return (
    <RequireCitizen>
      <Enterprises />
    </RequireCitizen>
  );
}
