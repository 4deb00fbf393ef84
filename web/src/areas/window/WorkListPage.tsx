import { useMemo, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { Button, Input, Segmented, Table, Tag, Typography } from "antd";
import { PlusOutlined, ReloadOutlined } from "@ant-design/icons";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { Light, RemainingDays } from "../../staff/Light";
import { byDeadline, districtToday, matches, WINDOW_STATUSES, workingCalendar, workRow, type WindowStatus, type WorkRow } from "./model";
import { getApplication, getBoard, getCalendar, KEYS, listApplications } from "./queries";
import "./window.css";

/** Cases in these states get their deadline from the case itself (the list line does not carry it). */
const NEEDS_DETAIL = new Set(["submitted", "correction_requested"]);
const MAX_DETAILS = 60;

/** The window's work list (待办): the cases that need the clerk, by deadline, with their lights. */
export default function WorkListPage() {
  const { t } = useTranslation("window");
  useDocumentTitle(t("list.title"));
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const filter = (params.get("status") ?? "all") as WindowStatus | "all";
  const [query, setQuery] = useState(params.get("q") ?? "");
  const statuses = filter === "all" ? [...WINDOW_STATUSES] : [filter];
  const today = districtToday();
  const year = Number(today.slice(0, 4));

  const lists = useQueries({
    queries: statuses.map((s) => ({ queryKey: KEYS.list(s), queryFn: () => listApplications(s) })),
  });
  const board = useQuery({ queryKey: KEYS.board, queryFn: getBoard });
  const calendars = useQueries({
    queries: [year, year + 1].map((y) => ({ queryKey: KEYS.calendar(y), queryFn: () => getCalendar(y), staleTime: 3_600_000 })),
  });
  const summaries = lists.flatMap((l) => l.data?.items ?? []);
  const needDetail = summaries.filter((s) => NEEDS_DETAIL.has(s.status)).slice(0, MAX_DETAILS);
  const details = useQueries({
    queries: needDetail.map((s) => ({ queryKey: KEYS.app(s.id), queryFn: () => getApplication(s.id) })),
  });

  const calendarReady = calendars.every((c) => c.data);
  const rows: WorkRow[] = useMemo(() => {
    const calendar = calendarReady ? workingCalendar(calendars.flatMap((c) => c.data?.items ?? [])) : null;
    const byId = new Map(details.flatMap((d) => (d.data ? [[d.data.id, d.data] as const] : [])));
    const lights = new Map((board.data?.items ?? []).map((c) => [c.id, c]));
    return summaries.map((s) => workRow(s, byId.get(s.id), lights.get(s.id), calendar, today)).sort(byDeadline);
  }, [lists.map((l) => l.dataUpdatedAt).join(), details.map((d) => d.dataUpdatedAt).join(), board.dataUpdatedAt, calendarReady, today]);
  const shown = rows.filter((r) => matches(r, query));
  const error = lists.find((l) => l.error)?.error ?? board.error;
  const loading = lists.some((l) => l.isPending);
  const totals = lists.reduce((n, l) => n + (l.data?.total ?? 0), 0);
  // A count past 10,000 is capped (total_exact false): say "10000+", not a number that is too small.
  const totalsExact = lists.every((l) => l.data?.total_exact ?? true);
  const loaded = lists.reduce((n, l) => n + (l.data?.items.length ?? 0), 0);

  const setFilter = (value: string) => {
    const next = new URLSearchParams(params);
    if (value === "all") next.delete("status");
    else next.set("status", value);
    setParams(next, { replace: true });
  };
  const refresh = () => {
    lists.forEach((l) => void l.refetch());
    void board.refetch();
  };

  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("list.title")}
      </Typography.Title>
      <div className="staff-toolbar">
        <Segmented
          aria-label={t("list.filter")}
          value={filter}
          onChange={(v) => setFilter(String(v))}
          options={[{ value: "all", label: t("list.all") }, ...WINDOW_STATUSES.map((s) => ({ value: s, label: t(`list.status.${s}`) }))]}
          className="window-filter"
        />
        <Input.Search
          allowClear
          className="window-search"
          placeholder={t("list.searchPlaceholder")}
          aria-label={t("list.search")}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onSearch={(v) => setQuery(v)}
        />
        <span className="window-spacer" />
        <Button icon={<ReloadOutlined aria-hidden />} onClick={refresh}>
          {t("list.refresh")}
        </Button>
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate("/work/window/new")}>
          {t("list.new")}
        </Button>
      </div>
      {error ? <ErrorAlert error={error} onRetry={refresh} /> : null}
      <Table<WorkRow>
        rowKey="id"
        size="middle"
        loading={loading}
        dataSource={shown}
        scroll={{ x: true }}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: <span className="window-empty">{query ? t("list.noMatch") : t("list.empty")}</span> }}
        columns={[
          {
            title: t("list.col.light"),
            key: "light",
            width: 170,
            render: (_, r) =>
              r.colour ? (
                <span className="window-light">
                  <Light colour={r.colour} paused={r.paused} />
                  <RemainingDays days={r.remaining} />
                </span>
              ) : (
                <span className="muted">{t("list.noDeadline")}</span>
              ),
          },
          { title: t("list.col.deadline"), key: "deadline", width: 110, className: "window-col-nowrap", render: (_, r) => (r.deadline ? formatDate(r.deadline) : "—") },
          {
            title: t("list.col.number"),
            key: "no",
            render: (_, r) => (
              <Link to={`/work/window/cases/${encodeURIComponent(r.id)}`} className="window-no">
                {r.applicationNo}
              </Link>
            ),
          },
          { title: t("list.col.item"), dataIndex: "itemName", key: "item", className: "window-col-item" },
          { title: t("list.col.applicant"), dataIndex: "applicant", key: "applicant", width: 100, className: "window-col-nowrap" },
          {
            title: t("list.col.status"),
            key: "status",
            width: 110,
            className: "window-col-nowrap",
            render: (_, r) => <Tag>{codeLabel(t, "status", r.status)}</Tag>,
          },
          { title: t("list.col.todo"), key: "todo", className: "window-col-todo", render: (_, r) => t(`list.todo.${r.status}`, { defaultValue: "—" }) },
          { title: t("list.col.received"), key: "received", width: 140, className: "window-col-nowrap", render: (_, r) => formatDateTime(r.receivedAt) },
        ]}
      />
      {totals > loaded ? <p className="muted">{t("list.more", { shown: loaded, total: totalsExact ? `${totals}` : `${totals}+` })}</p> : null}
    </div>
  );
}
