import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { Alert, Button, Form, Input, Result, Skeleton } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useSession } from "../../auth/useSession";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { RatingForm } from "./RatingForm";
import { ServiceSummary, ratingClosed } from "./ServiceSummary";
import { isBad, normaliseCode } from "./levels";
import "./rating.css";

type RatingRead = components["schemas"]["evaluation__RatingRead"];

/** Type the code a window's rating pad shows (when the QR code was not scanned). */
function CodeEntry({ invalid }: { invalid?: string }) {
  const { t } = useTranslation("rating");
  const navigate = useNavigate();
  const [form] = Form.useForm<{ code: string }>();
  return (
    <Form<{ code: string }>
      form={form}
      layout="vertical"
      requiredMark={false}
      className="rating-code-form"
      onFinish={(v) => navigate(`/rate/${encodeURIComponent(normaliseCode(v.code))}`)}
    >
      <Form.Item
        name="code"
        label={t("code.label")}
        extra={t("code.hint")}
        validateStatus={invalid ? "error" : undefined}
        help={invalid}
        rules={[
          { required: true, whitespace: true, message: t("code.required") },
          { pattern: /^[\s-]*([A-Za-z0-9][\s-]*){10}$/, message: t("code.format") },
        ]}
      >
        <Input size="large" autoComplete="one-time-code" autoCapitalize="characters" spellCheck={false} maxLength={20} />
      </Form.Item>
      <Button type="primary" htmlType="submit" size="large">
        {t("code.open")}
      </Button>
    </Form>
  );
}

function Thanks({ rating }: { rating: RatingRead }) {
  const { t } = useTranslation("rating");
  const { claims } = useSession();
  const bad = isBad(rating.level);
  return (
    <Result
      status="success"
      title={t("done.title")}
      subTitle={bad ? t("done.bad") : t("done.good")}
      extra={
        bad && claims?.kind === "person" ? (
          <Link to="/my/ratings?tab=cases">{t("done.follow")}</Link>
        ) : (
          <Link to="/">{t("done.home")}</Link>
        )
      }
    />
  );
}

export default function RateByCodePage() {
  const { code: raw } = useParams();
  const { t } = useTranslation("rating");
  const errorText = useErrorText();
  const code = raw ? normaliseCode(raw) : null;
  const [rated, setRated] = useState<RatingRead | null>(null);
  useDocumentTitle(t("code.title"));
  const service = useQuery({
    queryKey: ["rating-code", code],
    queryFn: () => unwrap(api.GET("/api/evaluation/v1/rating-codes/{code}", { params: { path: { code: code ?? "" } } })),
    enabled: code !== null && rated === null,
    staleTime: Infinity,
    retry: false,
  });
  const invalid = service.error instanceof ApiError && service.error.status === 404;

  return (
    <div className="page rating-page">
      <h1 tabIndex={-1}>{t("code.title")}</h1>
      {rated ? <Thanks rating={rated} /> : null}
      {!rated && code === null ? (
        <>
          <p className="muted-p">{t("code.intro")}</p>
          <CodeEntry />
        </>
      ) : null}
      {!rated && code !== null ? (
        <>
          {service.isPending ? <Skeleton active /> : null}
          {invalid ? (
            <>
              <Alert type="warning" showIcon role="alert" className="form-alert" message={errorText(service.error)} />
              <CodeEntry />
            </>
          ) : null}
          {service.isError && !invalid ? <ErrorAlert error={service.error} onRetry={() => void service.refetch()} /> : null}
          {service.data ? (
            <div className="rating-layout">
              <section aria-labelledby="rate-what" className="rating-panel">
                <h2 id="rate-what">{t("service.title")}</h2>
                <ServiceSummary service={service.data} />
                <p className="muted-p">{t("code.anonymous")}</p>
              </section>
              <section aria-labelledby="rate-how" className="rating-panel">
                <h2 id="rate-how">{t("form.title")}</h2>
                {ratingClosed(service.data.rateable_until) ? (
                  <Alert type="info" showIcon message={t("service.closed")} />
                ) : (
                  <RatingForm eventId={service.data.service_event_id} channel="qr" code={code} onRated={setRated} />
                )}
              </section>
            </div>
          ) : null}
        </>
      ) : null}
    </div>
  );
}
