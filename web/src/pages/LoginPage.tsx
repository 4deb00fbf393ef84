import { useEffect, useState } from "react";
import { Navigate, useNavigate, useSearchParams } from "react-router";
import { Alert, Button, Form, Input } from "antd";
import { LockOutlined, UserOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { login } from "../auth/actions";
import { ApiError } from "../api/errors";
import { applyProblemToForm } from "../api/problemForm";
import { useErrorText } from "../components/ErrorAlert";
import { useSession } from "../auth/useSession";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { landingFor, safeNext } from "../lib/safeNext";
import { session } from "../platform";
import { ProblemAlert } from "../components/ProblemAlert";

interface Credentials {
  username: string;
  password: string;
}


/** Seconds left until `until` (ms since epoch), counting down once a second. */
function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Credentials>();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const { claims } = useSession();
  const errorText = useErrorText();
  const [submitting, setSubmitting] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const wait = useCountdown(blockedUntil);
  const next = safeNext(params.get("next"));
  useDocumentTitle(t("login.title"));

  if (claims && !submitting) return <Navigate to={landingFor(next, claims.kind)} replace />;

  const onFinish = async (values: Credentials) => {
    setSubmitting(true);
    setMessages([]);
    try {
      await login(values.username.trim(), values.password);
      navigate(landingFor(next, session.getSnapshot().claims?.kind), { replace: true });
    } catch (error) {
      if (error instanceof ApiError && error.status === 429) {
        setBlockedUntil(Date.now() + (error.retryAfter ?? 60) * 1000);
        setMessages([]);
      } else if (error instanceof ApiError && error.problem) {
        setMessages(applyProblemToForm(form, error.problem, ["username", "password"]));
      } else {
        setMessages([errorText(error)]);
      }
      setSubmitting(false);
    }
  };

  return (
    <div className="page login">
      <div className="login-card">
        <h1 tabIndex={-1}>{t("login.title")}</h1>
        <p className="muted-p">{t("login.intro")}</p>
        {wait > 0 ? (
          <Alert type="warning" showIcon role="alert" className="form-alert" message={t("login.tooMany", { seconds: wait })} description={t("login.tooManyWhy")} />
        ) : null}
        <ProblemAlert messages={messages} title={t("login.failed")} />
        <Form<Credentials> form={form} layout="vertical" requiredMark={false} onFinish={(v) => void onFinish(v)} disabled={submitting}>
          <Form.Item
            name="username"
            label={t("login.username")}
            extra={t("login.usernameHint")}
            rules={[{ required: true, whitespace: true, message: t("login.usernameRequired") }, { max: 64, message: t("login.tooLong", { max: 64 }) }]}
          >
            <Input prefix={<UserOutlined aria-hidden />} autoComplete="username" size="large" inputMode="text" autoFocus />
          </Form.Item>
          <Form.Item
            name="password"
            label={t("login.password")}
            rules={[{ required: true, message: t("login.passwordRequired") }, { max: 128, message: t("login.tooLong", { max: 128 }) }]}
          >
            <Input.Password prefix={<LockOutlined aria-hidden />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" size="large" block loading={submitting} disabled={wait > 0}>
            {wait > 0 ? t("login.waitButton", { seconds: wait }) : t("login.submit")}
          </Button>
        </Form>
        <p className="muted-p login-note">
          {t("login.sessionNote")}
        </p>
      </div>
    </div>
  );
}
