import { useState } from "react";
import { Link, useParams } from "react-router";
import { Alert, Breadcrumb, Empty, Grid, Result, Skeleton } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { RatingForm } from "./RatingForm";
import { ServiceSummary, ratingClosed } from "./ServiceSummary";
import { isBad } from "./levels";
import "./rating.css";

type RatingRead = components["schemas"]["evaluation__RatingRead"];

function RateService() {
  const { eventId } = useParams();
  const { t } = useTranslation("rating");
  const phone = !Grid.useBreakpoint().md;
  const client = useQueryClient();
  const [rated, setRated] = useState<RatingRead | null>(null);
  useDocumentTitle(t("rate.title"));
  const event = useQuery({
    queryKey: [MY, "rating", "service", eventId],
    queryFn: () =>
      unwrap(api.GET("/api/evaluation/v1/service-events/{event_id}", { params: { path: { event_id: eventId ?? "" } } })),
    enabled: Boolean(eventId),
  });
  const notFound = event.error instanceof ApiError && event.error.status === 404;
  const onRated = (rating: RatingRead) => {
    setRated(rating);
    void client.invalidateQueries({ queryKey: [MY, "rating"] });
  };
  return (
    <div className="page rating-page">
      <Breadcrumb items={[{ title: <Link to="/my/ratings">{t("mine.title")}</Link> }, { title: t("rate.title") }]} />
      <h1 tabIndex={-1}>{t("rate.title")}</h1>
      {event.isPending ? <Skeleton active /> : null}
      {notFound ? <Empty description={t("rate.notFound")} /> : null}
      {event.isError && !notFound ? <ErrorAlert error={event.error} onRetry={() => void event.refetch()} /> : null}
      {rated ? (
        <Result
          status="success"
          title={t("done.title")}
          subTitle={isBad(rated.level) ? t("done.bad") : t("done.good")}
          extra={
            <Link to={isBad(rated.level) ? "/my/ratings?tab=cases" : "/my/ratings?tab=rated"}>
              {isBad(rated.level) ? t("done.follow") : t("done.mine")}
            </Link>
          }
        />
      ) : null}
      {event.data && !rated ? (
        <div className="rating-layout">
          <section aria-labelledby="rate-what" className="rating-panel">
            <h2 id="rate-what">{t("service.title")}</h2>
            <ServiceSummary service={event.data} />
          </section>
          <section aria-labelledby="rate-how" className="rating-panel">
            <h2 id="rate-how">{t("form.title")}</h2>
            {event.data.rated ? (
              <Alert type="info" showIcon message={t("rate.already")} />
            ) : ratingClosed(event.data.rateable_until) ? (
              <Alert type="info" showIcon message={t("service.closed")} />
            ) : (
              <RatingForm eventId={event.data.id} channel={phone ? "mobile" : "pc"} onRated={onRated} />
            )}
          </section>
        </div>
      ) : null}
    </div>
  );
}

export default function RateServicePage() {
  return (
    <RequireCitizen>
      <RateService />
    </RequireCitizen>
  );
}
