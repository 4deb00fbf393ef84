import { Link, useSearchParams } from "react-router";
import { Alert, Empty, Grid, List, Select, Skeleton, Table, Tag } from "antd";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../api/schema";
import { api, MY } from "../platform";
import { unwrap } from "../api/errors";
import { ErrorAlert } from "../components/ErrorAlert";
import { RequireCitizen } from "../components/RequireCitizen";
import { useDocumentTitle } from "../lib/useDocumentTitle";
import { codeLabel } from "../lib/labels";
import { formatDate, formatDateTime } from "../lib/format";
import { STATUSES, statusColor, type ApplicationStatus } from "./applicationStatus";
// The apply area's texts; this page is its own lazy chunk, never common code.
import { useApplyTexts } from "../areas/apply/texts";
import { OffersBanner } from "../areas/offers/OffersBanner";
import "../areas/apply/apply.css";

type Application = components["schemas"]["intake__ApplicationPage"]["items"][number];
const PAGE_SIZE = 20;

function StatusTag({ app }: { app: Application }) {
  const { t } = useTranslation("apply");
  return (
    <>
      <Tag color={statusColor(app.status)}>{codeLabel(t, "status", app.status)}</Tag>
      {app.status === "correction_requested" ? (
        <Link to={`/my/applications/${encodeURIComponent(app.id)}`} className="apps-correct">
          {t("apps2.correct")}
          <span className="visually-hidden">{`（${app.application_no}）`}</span>
        </Link>
      ) : null}
    </>
  );
}

/** Cases waiting for the applicant (补正): said first, whatever the filter shows. */
function Waiting({ onShow }: { onShow: () => void }) {
  const { t } = useTranslation("apply");
  const waiting = useQuery({
    queryKey: [MY, "applications", "correction_requested", "count"],
    queryFn: () =>
      unwrap(api.GET("/api/intake/v1/applications", { params: { query: { limit: 1, offset: 0, status: "correction_requested" } } })),
  });
  if (!waiting.data || waiting.data.total === 0) return null;
  return (
    <Alert
      className="apps-todo"
      type="warning"
      showIcon
      message={t("apps2.waiting", { count: waiting.data.total })}
      action={
        <button type="button" className="link-button" onClick={onShow}>
          {t("apps2.showWaiting")}
        </button>
      }
    />
  );
}

function Applications() {
  const { t } = useTranslation("apply");
  const [params, setParams] = useSearchParams();
  const phone = !Grid.useBreakpoint().md;
  const status = (STATUSES as readonly string[]).includes(params.get("status") ?? "")
    ? (params.get("status") as ApplicationStatus)
    : undefined;
  const page = Math.max(1, Number(params.get("page") ?? "1") || 1);
  useDocumentTitle(t("apps.title"));

  const list = useQuery({
    queryKey: [MY, "applications", status ?? null, page],
    queryFn: () =>
      unwrap(
        api.GET("/api/intake/v1/applications", {
          params: { query: { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, ...(status ? { status } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });

  const setParam = (name: string, value: string | null) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    if (name !== "page") next.delete("page");
    setParams(next);
  };
  const pagination = {
    current: page,
    pageSize: PAGE_SIZE,
    total: list.data?.total ?? 0,
    showSizeChanger: false,
    simple: phone,
    onChange: (p: number) => setParam("page", p === 1 ? null : String(p)),
    hideOnSinglePage: true,
  };

  return (
    <div className="page applications">
      <h1 tabIndex={-1}>{t("apps.title")}</h1>
      <OffersBanner />
      {status !== "correction_requested" ? <Waiting onShow={() => setParam("status", "correction_requested")} /> : null}
      <div className="toolbar">
        <label htmlFor="apps-status">{t("apps.status")}</label>
        <Select
          id="apps-status"
          allowClear
          placeholder={t("apps.allStatuses")}
          value={status}
          onChange={(v: string | undefined) => setParam("status", v ?? null)}
          options={STATUSES.map((s) => ({ value: s, label: codeLabel(t, "status", s) }))}
          style={{ minWidth: 180 }}
        />
        {list.data ? (
          <span className="muted-p" aria-live="polite">
            {t("apps.count", { count: list.data.total })}
          </span>
        ) : null}
        <Link to="/items" className="apps-new">
          {t("apps2.applyNew")}
        </Link>
      </div>
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.isPending ? <Skeleton active /> : null}
      {list.data && list.data.total === 0 ? (
        <Empty description={status ? t("apps.noneWithStatus") : t("apps.none")}>
          <Link to="/items">{t("apps.findItem")}</Link>
        </Empty>
      ) : null}
      {list.data && list.data.total > 0 && phone ? (
        <List
          dataSource={list.data.items}
          rowKey="id"
          pagination={pagination}
          renderItem={(app) => (
            <List.Item>
              <article className="app-card">
                <h2 className="app-card-title">
                  <Link to={`/my/applications/${encodeURIComponent(app.id)}`}>{app.item_name}</Link>
                </h2>
                <StatusTag app={app} />
                <dl className="app-card-facts">
                  <dt>{t("apps.number")}</dt>
                  <dd>{app.application_no}</dd>
                  <dt>{t("apps.received")}</dt>
                  <dd>{formatDateTime(app.received_at)}</dd>
                  <dt>{t("apps.due")}</dt>
                  <dd>{formatDate(app.due_on)}</dd>
                </dl>
              </article>
            </List.Item>
          )}
        />
      ) : null}
      {list.data && list.data.total > 0 && !phone ? (
        <Table<Application>
          rowKey="id"
          dataSource={list.data.items}
          loading={list.isFetching && list.isPlaceholderData}
          pagination={pagination}
          columns={[
            {
              title: t("apps.item"),
              dataIndex: "item_name",
              render: (_v, app) => <Link to={`/my/applications/${encodeURIComponent(app.id)}`}>{app.item_name}</Link>,
            },
            { title: t("apps.number"), dataIndex: "application_no" },
            { title: t("apps.status"), key: "status", render: (_v, app) => <StatusTag app={app} /> },
            { title: t("apps.received"), dataIndex: "received_at", render: (v: string) => formatDateTime(v) },
            { title: t("apps.due"), dataIndex: "due_on", render: (v: string | null) => formatDate(v) },
          ]}
        />
      ) : null}
    </div>
  );
}

function WithTexts() {
  const ready = useApplyTexts();
  return ready ? <Applications /> : <Skeleton active />;
}

export default function MyApplicationsPage() {
  return (
    <RequireCitizen>
      <WithTexts />
    </RequireCitizen>
  );
}
