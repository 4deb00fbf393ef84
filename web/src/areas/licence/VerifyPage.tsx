import { useState } from "react";
import { useNavigate } from "react-router";
import { Alert, Button, Form, Input, Result, Select } from "antd";
import { CheckCircleFilled, CloseCircleFilled, SafetyOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import "./licence.css";

type Verification = components["schemas"]["licence__VerificationRead"];

/** The answer: valid or not, the type's name, its state and end of validity — nothing personal. */
function Answer({ answer, number }: { answer: Verification; number: string }) {
  const { t } = useTranslation("licence");
  return (
    <Result
      className="licence-answer"
      icon={answer.valid ? <CheckCircleFilled className="licence-ok" aria-hidden /> : <CloseCircleFilled className="licence-bad" aria-hidden />}
      title={<span role="status">{answer.valid ? t("verify.valid") : t("verify.invalid")}</span>}
      subTitle={
        <div className="licence-answer-lines">
          <div>{t("verify.numberLine", { number })}</div>
          {answer.type_name ? <div>{t("verify.typeLine", { type: answer.type_name })}</div> : null}
          <div>
            {answer.status ? t("verify.statusLine", { status: codeLabel(t, "licenceStatus", answer.status) }) : t("verify.unknown")}
          </div>
          {answer.valid_until ? <div>{t("verify.untilLine", { date: formatDate(answer.valid_until) })}</div> : null}
          <div className="muted">{t("verify.checkedAt", { at: formatDateTime(answer.checked_at) })}</div>
        </div>
      }
    />
  );
}

/** 证照核验: anyone checks a licence by its type and number (valid or not, no personal data), or opens a holder's share code. */
export default function VerifyPage() {
  const { t } = useTranslation("licence");
  useDocumentTitle(t("verify.title"));
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ type_code: string; number: string }>();
  const [answer, setAnswer] = useState<{ answer: Verification; number: string } | null>(null);
  const [messages, setMessages] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const types = useQuery({
    queryKey: ["licence-types"],
    queryFn: () => unwrap(api.GET("/api/licence/v1/licence-types", { params: { query: { limit: 200 } } })),
    staleTime: 3_600_000,
  });
  const verify = async (v: { type_code: string; number: string }) => {
    setBusy(true);
    setMessages([]);
    setAnswer(null);
    try {
      const got = await unwrap(api.POST("/api/licence/v1/verifications", { body: { type_code: v.type_code, number: v.number.trim() } }));
      setAnswer({ answer: got, number: v.number.trim() });
    } catch (e) {
      if (e instanceof ApiError && e.problem) setMessages(applyProblemToForm(form, e.problem, ["type_code", "number"]));
      else setMessages([errorText(e)]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="page licence-verify">
      <h1 tabIndex={-1}>{t("verify.title")}</h1>
      <p className="muted-p">{t("verify.intro")}</p>
      <section className="section licence-card" aria-labelledby="v-number">
        <h2 id="v-number">{t("verify.byNumber")}</h2>
        {types.isError ? <ErrorAlert error={types.error} onRetry={() => void types.refetch()} /> : null}
        <Form form={form} layout="vertical" name="verify" requiredMark={false} onFinish={(v) => void verify(v)} className="licence-verify-form">
          <Form.Item name="type_code" label={t("verify.type")} rules={[{ validator: (_, v: string | undefined) => (v ? Promise.resolve() : Promise.reject(new Error(t("verify.typeRequired")))) }]}>
            <Select
              showSearch
              optionFilterProp="label"
              loading={types.isPending}
              placeholder={t("verify.typePlaceholder")}
              options={(types.data?.items ?? []).filter((x) => x.active).map((x) => ({ value: x.code, label: `${x.name}（${x.code}）` }))}
            />
          </Form.Item>
          <Form.Item name="number" label={t("verify.number")} rules={[{ required: true, whitespace: true, message: t("verify.numberRequired") }]}>
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
          <Form.Item label=" " className="licence-share-button">
            <Button type="primary" htmlType="submit" icon={<SafetyOutlined aria-hidden />} loading={busy}>
              {t("verify.do")}
            </Button>
          </Form.Item>
        </Form>
        <ProblemAlert messages={messages} title={t("verify.problems")} />
        {answer ? <Answer answer={answer.answer} number={answer.number} /> : null}
        <Alert type="info" showIcon className="section" message={t("verify.privacy")} />
      </section>
      <section className="section licence-card" aria-labelledby="v-code">
        <h2 id="v-code">{t("verify.byCode")}</h2>
        <p className="muted-p">{t("verify.byCodeHint")}</p>
        <Form layout="vertical" name="by-code" requiredMark={false} onFinish={(v: { code: string }) => navigate(`/verify/${encodeURIComponent(v.code.trim())}`)} className="licence-code-form">
          <Form.Item name="code" label={t("verify.code")} rules={[{ required: true, whitespace: true, message: t("verify.codeRequired") }]}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
          <Form.Item label=" " className="licence-share-button">
            <Button htmlType="submit">{t("verify.open")}</Button>
          </Form.Item>
        </Form>
      </section>
    </div>
  );
}
