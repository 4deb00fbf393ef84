import { useState } from "react";
import { Link } from "react-router";
import { Select, Switch, Table, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { worklist, type BadReview, type Status } from "./badReviews";
import { UnitName } from "../../components/UnitName";
import "./supervision.css";

const STATUSES: Status[] = ["open", "called_back", "rectifying", "rectified", "explained", "appealed", "appeal_upheld", "answered", "closed", "superseded", "withdrawn"];

/** 差评整改: the bad-review cases the caller may see, open ones by deadline. */
export default function BadReviewsPage() {
  const { t } = useTranslation("supervision");
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [overdue, setOverdue] = useState(false);
  useDocumentTitle(t("bad.title"));
  const cases = useQuery({
    queryKey: [MY, "supervision", "bad-reviews", status ?? null, overdue],
    queryFn: () =>
      unwrap(api.GET("/api/evaluation/v1/bad-reviews", { params: { query: { limit: 200, status, overdue: overdue ? true : undefined } } })),
  });
  const rows = worklist(cases.data?.items ?? []);
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("bad.title")}
      </Typography.Title>
      <p className="muted sv-hint">{t("bad.hint")}</p>
      <div className="staff-toolbar">
        <Select<Status>
          allowClear
          aria-label={t("bad.statusFilter")}
          placeholder={t("bad.allStatuses")}
          value={status}
          onChange={(v) => setStatus(v)}
          options={STATUSES.map((s) => ({ value: s, label: t(`badStatus.${s}`) }))}
          className="sv-select"
        />
        <label className="sv-switch">
          <Switch checked={overdue} onChange={setOverdue} aria-label={t("bad.overdueOnly")} /> {t("bad.overdueOnly")}
        </label>
      </div>
      {cases.isError ? <ErrorAlert error={cases.error} onRetry={() => void cases.refetch()} /> : null}
      <Table<BadReview>
        size="small"
        rowKey="id"
        className="sv-table"
        loading={cases.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: true }}
        locale={{ emptyText: t("bad.empty") }}
        columns={[
          {
            title: t("bad.deadline"),
            dataIndex: "deadline_at",
            render: (d: string, c) => (
              <>
                {formatDateTime(d)} {c.overdue ? <Tag color="error">{t("bad.overdue")}</Tag> : null}
              </>
            ),
          },
          { title: t("bad.status"), dataIndex: "status", render: (s: Status) => <Tag>{t(`badStatus.${s}`)}</Tag> },
          { title: t("bad.level"), dataIndex: "level", render: (l: number) => t(`level.${l}`) },
          {
            title: t("bad.comment"),
            dataIndex: "comment",
            render: (text: string | null, c) => <Link to={`/work/supervision/bad-reviews/${c.id}`}>{text || t("bad.noComment")}</Link>,
          },
          { title: t("col.unit"), dataIndex: "unit_code", render: (u: string) => <UnitName code={u} /> },
          { title: t("bad.opened"), dataIndex: "opened_at", render: (d: string) => formatDateTime(d) },
        ]}
      />
    </div>
  );
}
