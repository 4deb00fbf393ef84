import { useState } from "react";
import { Link } from "react-router";
import { Button, Segmented, Table, Tag, Typography } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate } from "../../lib/format";
import { Light, RemainingDays } from "../../staff/Light";
import { colourCounts, DECIDED_TABS, inboxCases, isDecidedTab, type BoardCase, type InboxTab } from "./model";
import type { components } from "../../api/schema";

type Summary = components["schemas"]["intake__ApplicationSummaryRead"];
import "./approval.css";

/** The approver's inbox (审批待办): the unit's open cases with their lights, most urgent first. */
export default function InboxPage() {
  const { t } = useTranslation("approval");
  const [tab, setTab] = useState<InboxTab>("deciding");
  useDocumentTitle(t("inbox.title"));
  const board = useQuery({
    queryKey: [MY, "approval", "board"],
    queryFn: () => unwrap(api.GET("/api/intake/v1/supervision/cases", { params: { query: { limit: 200 } } })),
    refetchInterval: 60_000,
  });
  // Decided cases have no light (their clock stopped): they wait to be completed (办结), and
  // completed ones for their result to be delivered (送达).
  const statuses = [...DECIDED_TABS.completing, ...DECIDED_TABS.delivering];
  const decided = useQueries({
    queries: statuses.map((status) => ({
      queryKey: [MY, "approval", "decided", status],
      queryFn: () => unwrap(api.GET("/api/intake/v1/applications", { params: { query: { status, limit: 200 } } })),
    })),
  });
  const decidedIn = (which: keyof typeof DECIDED_TABS) =>
    decided
      .filter((_, i) => (DECIDED_TABS[which] as readonly string[]).includes(statuses[i] ?? ""))
      .flatMap((q) => q.data?.items ?? [])
      .sort((a, b) => (a.due_on ?? "9999").localeCompare(b.due_on ?? "9999"));
  const waiting = { completing: decidedIn("completing"), delivering: decidedIn("delivering") };
  const all = board.data?.items ?? [];
  const cases = inboxCases(all, tab);
  const counts = colourCounts(inboxCases(all, "deciding"));
  const tabs: InboxTab[] = ["deciding", "completing", "delivering", "all"];

  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("inbox.title")}
      </Typography.Title>
      <p className="muted approval-hint">{t("inbox.hint")}</p>
      <div className="staff-toolbar">
        <Segmented<InboxTab>
          aria-label={t("inbox.tabs")}
          value={tab}
          onChange={setTab}
          options={tabs.map((k) => ({ value: k, label: `${t(`inbox.tab.${k}`)} ${isDecidedTab(k) ? waiting[k].length : inboxCases(all, k).length}` }))}
        />
        <span className="approval-counts" aria-live="polite">
          <Tag color="error">{t("inbox.red", { count: counts.red })}</Tag>
          <Tag color="warning">{t("inbox.yellow", { count: counts.yellow })}</Tag>
          <Tag color="success">{t("inbox.green", { count: counts.green })}</Tag>
        </span>
        <Button
          icon={<ReloadOutlined aria-hidden />}
          onClick={() => {
            void board.refetch();
            decided.forEach((q) => void q.refetch());
          }}
          loading={board.isFetching}
        >
          {t("refresh")}
        </Button>
      </div>
      {board.isError ? <ErrorAlert error={board.error} onRetry={() => void board.refetch()} /> : null}
      {isDecidedTab(tab) ? (
        <Table<Summary>
          className="approval-table"
          size="small"
          rowKey="id"
          loading={decided.some((q) => q.isLoading)}
          dataSource={waiting[tab]}
          pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
          scroll={{ x: true }}
          locale={{ emptyText: t(tab === "completing" ? "inbox.emptyDecided" : "inbox.emptyCompleted") }}
          columns={[
            { title: t("col.no"), dataIndex: "application_no", render: (no: string, c) => <Link to={`/work/approval/cases/${c.id}`}>{no}</Link> },
            { title: t("col.item"), dataIndex: "item_name" },
            { title: t("col.applicant"), dataIndex: "applicant_name" },
            { title: t(tab === "completing" ? "col.decision" : "col.status"), dataIndex: "status", render: (s: Summary["status"]) => codeLabel(t, "status", s) },
            { title: t("col.due"), dataIndex: "due_on", render: (d: string | null) => formatDate(d) },
          ]}
        />
      ) : (
      <Table<BoardCase>
        className="approval-table"
        size="small"
        rowKey="id"
        loading={board.isLoading}
        dataSource={cases}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: true }}
        locale={{ emptyText: t("inbox.empty") }}
        columns={[
          {
            title: t("col.light"),
            key: "light",
            width: 110,
            render: (_, c) => <Light colour={c.colour} paused={c.paused} />,
          },
          {
            title: t("col.remaining"),
            key: "remaining",
            width: 130,
            render: (_, c) => <RemainingDays days={c.remaining_working_days} />,
          },
          {
            title: t("col.no"),
            dataIndex: "application_no",
            render: (no: string, c) => <Link to={`/work/approval/cases/${c.id}`}>{no}</Link>,
          },
          { title: t("col.item"), dataIndex: "item_name" },
          {
            title: t("col.status"),
            dataIndex: "status",
            width: 110,
            render: (s: BoardCase["status"]) => codeLabel(t, "status", s),
          },
          {
            title: t("col.due"),
            dataIndex: "due_on",
            width: 120,
            render: (d: string | null, c) => (
              <span>
                {formatDate(d)}
                {c.provisional_deadline ? <Tag className="approval-provisional">{t("col.provisional")}</Tag> : null}
              </span>
            ),
          },
        ]}
      />
      )}
    </div>
  );
}
