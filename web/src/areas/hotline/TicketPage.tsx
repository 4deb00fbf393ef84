import { Link, useParams, useSearchParams } from "react-router";
import { Alert, Breadcrumb, Descriptions, Empty, Skeleton, Steps, Tag, Timeline } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { PROGRESS, progressIndex, statusColor, type TicketRead } from "./model";
import { UnitName } from "../../components/UnitName";
import "./hotline.css";

function size(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** Rating the handling (好差评): once the ticket is closed, evaluation lists it among the caller's services. */
function RateReply({ ticket }: { ticket: TicketRead }) {
  const { t } = useTranslation("hotline");
  const closedDone = ticket.status === "closed" && (ticket.close_reason === "completed" || ticket.close_reason === "answered");
  const services = useQuery({
    queryKey: [MY, "rating", "services", "ticket", ticket.id],
    queryFn: () => unwrap(api.GET("/api/evaluation/v1/service-events/mine", { params: { query: { limit: 200 } } })),
    enabled: closedDone,
  });
  if (!closedDone) return <p className="muted-p">{t("ticket.rateLater")}</p>;
  const event = services.data?.items.find((e) => e.source_id === ticket.id);
  if (services.isPending) return <Skeleton active paragraph={{ rows: 1 }} />;
  if (!event) return <p className="muted-p">{t("ticket.rateSoon")}</p>;
  if (event.rated) {
    return (
      <p>
        {t("ticket.rated")} {event.rating_level ? <Tag>{t(`level.${event.rating_level}`)}</Tag> : null}
      </p>
    );
  }
  return (
    <p>
      <Link className="hotline-new" to={`/my/ratings/${encodeURIComponent(event.id)}`}>
        {t("ticket.rate")}
      </Link>
    </p>
  );
}

function Ticket() {
  const { id } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation("hotline");
  const ticket = useQuery({
    queryKey: [MY, "hotline", "ticket", id],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/tickets/{ticket_id}", { params: { path: { ticket_id: id ?? "" } } })),
    enabled: Boolean(id),
  });
  const history = useQuery({
    queryKey: [MY, "hotline", "ticket", id, "history"],
    queryFn: () =>
      unwrap(api.GET("/api/hotline/v1/tickets/{ticket_id}/history", { params: { path: { ticket_id: id ?? "" }, query: { limit: 200 } } })),
    enabled: Boolean(id),
  });
  useDocumentTitle(ticket.data?.title ?? t("ticket.title"));
  const notFound = ticket.error instanceof ApiError && ticket.error.status === 404;
  const data = ticket.data;
  return (
    <div className="page hotline-page">
      <Breadcrumb items={[{ title: <Link to="/hotline">{t("list.title")}</Link> }, { title: t("ticket.title") }]} />
      <h1 tabIndex={-1}>{data?.title ?? t("ticket.title")}</h1>
      {params.get("new") && data && data.status !== "closed" ? (
        <Alert type="success" showIcon role="status" className="form-alert" message={t("ticket.submitted", { number: data.number })} description={t("ticket.createdHint")} />
      ) : null}
      {ticket.isPending ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {notFound ? <Empty description={t("ticket.notFound")} /> : null}
      {ticket.isError && !notFound ? <ErrorAlert error={ticket.error} onRetry={() => void ticket.refetch()} /> : null}
      {data ? (
        <>
          <section className="section hotline-panel" aria-labelledby="t-progress">
            <h2 id="t-progress">{t("ticket.progress")}</h2>
            <Steps
              className="hotline-steps"
              size="small"
              responsive
              current={progressIndex(data.status)}
              status={data.status === "closed" || data.status === "merged" ? "finish" : "process"}
              items={PROGRESS.map((s) => ({ title: t(`progress.${s}`) }))}
            />
          </section>
          {data.reply ? (
            <section className="section" aria-labelledby="t-reply">
              <h2 id="t-reply">{t("ticket.reply")}</h2>
              <Alert type="success" message={<span className="prewrap">{data.reply}</span>} description={data.replied_at ? formatDateTime(data.replied_at) : undefined} />
            </section>
          ) : null}
          {data.close_note ? (
            <section className="section" aria-labelledby="t-close">
              <h2 id="t-close">{t("ticket.closeNote")}</h2>
              <p className="prewrap">{data.close_note}</p>
            </section>
          ) : null}
          <section className="section" aria-labelledby="t-facts">
            <h2 id="t-facts">{t("ticket.facts")}</h2>
            <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2 }}>
              <Descriptions.Item label={t("ticket.number")}>{data.number}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.status")}>
                <Tag color={statusColor(data.status)}>{t(`status.${data.status}`)}</Tag>
                {data.overdue ? <Tag color="red">{t("ticket.overdue")}</Tag> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t("form.type")}>{t(`type.${data.request_type}`)}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.created")}>{formatDateTime(data.created_at)}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.due")}>{formatDateTime(data.due_at)}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.unit")}>{data.lead_unit_code ? <UnitName code={data.lead_unit_code} /> : t("ticket.unitPending")}</Descriptions.Item>
              <Descriptions.Item label={t("form.where")} span={2}>
                {data.community_code ?? data.street_code ? <UnitName code={(data.community_code ?? data.street_code) as string} /> : null}
                {data.address ? <div>{data.address}</div> : null}
                {!data.address && !(data.community_code ?? data.street_code) ? "—" : null}
                {data.lat !== null && data.lon !== null ? <div className="muted">{t("form.located", { lat: data.lat.toFixed(5), lon: data.lon.toFixed(5) })}</div> : null}
              </Descriptions.Item>
              <Descriptions.Item label={t("form.description")} span={2}>
                <span className="prewrap">{data.description}</span>
              </Descriptions.Item>
              {data.attachments.length > 0 ? (
                <Descriptions.Item label={t("form.photos")} span={2}>
                  <ul className="hotline-files">
                    {data.attachments.map((a) => (
                      <li key={a.id}>
                        {a.file_name} <span className="muted">({size(a.size_bytes)})</span>
                      </li>
                    ))}
                  </ul>
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </section>
          <section className="section" aria-labelledby="t-rate">
            <h2 id="t-rate">{t("ticket.rateTitle")}</h2>
            <RateReply ticket={data} />
          </section>
          <section className="section" aria-labelledby="t-history">
            <h2 id="t-history">{t("ticket.history")}</h2>
            {history.isPending ? <Skeleton active /> : null}
            {history.isError ? <ErrorAlert error={history.error} onRetry={() => void history.refetch()} /> : null}
            {history.data ? (
              <Timeline
                items={history.data.items.map((h, i) => ({
                  key: `${h.action}-${i}`,
                  children: (
                    <>
                      <strong>{t(`action.${h.action}`)}</strong>
                      <div className="muted">
                        <time dateTime={h.at}>{formatDateTime(h.at)}</time>
                      </div>
                    </>
                  ),
                }))}
              />
            ) : null}
          </section>
        </>
      ) : null}
    </div>
  );
}

export default function TicketPage() {
  return (
    <RequireCitizen>
      <Ticket />
    </RequireCitizen>
  );
}
