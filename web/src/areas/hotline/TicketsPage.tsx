import { Link } from "react-router";
import { Empty, List, Skeleton, Tag } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { statusColor } from "./model";
import "./hotline.css";

function Tickets() {
  const { t } = useTranslation("hotline");
  useDocumentTitle(t("list.title"));
  const list = useQuery({
    queryKey: [MY, "hotline", "tickets"],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/tickets", { params: { query: { limit: 100 } } })),
  });
  return (
    <div className="page hotline-page">
      <div className="hotline-head">
        <h1 tabIndex={-1}>{t("list.title")}</h1>
        <Link to="/hotline/new" className="hotline-new">
          <PlusOutlined aria-hidden /> {t("list.new")}
        </Link>
      </div>
      <p className="muted-p">{t("list.intro")}</p>
      {list.isPending ? <Skeleton active /> : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.total === 0 ? <Empty description={t("list.none")} /> : null}
      {list.data && list.data.total > 0 ? (
        <List
          className="hotline-list"
          dataSource={list.data.items}
          rowKey="id"
          renderItem={(ticket) => (
            <List.Item>
              <article className="hotline-card">
                <h2 className="hotline-card-title">
                  <Link to={`/hotline/${encodeURIComponent(ticket.id)}`}>{ticket.title}</Link>
                </h2>
                <div className="hotline-card-tags">
                  <Tag>{t(`type.${ticket.request_type}`)}</Tag>
                  <Tag color={statusColor(ticket.status)}>{t(`status.${ticket.status}`)}</Tag>
                  {ticket.overdue ? <Tag color="red">{t("ticket.overdue")}</Tag> : null}
                </div>
                <div className="muted">
                  {t("ticket.number")} {ticket.number} · {formatDateTime(ticket.created_at)}
                </div>
              </article>
            </List.Item>
          )}
        />
      ) : null}
    </div>
  );
}

export default function TicketsPage() {
  return (
    <RequireCitizen>
      <Tickets />
    </RequireCitizen>
  );
}
