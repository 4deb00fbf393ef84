import { Link, useNavigate } from "react-router";
import { Button, Grid, Table, Typography } from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import "./window.css";

export const BUNDLE_KEYS = {
  list: [MY, "window", "bundles"] as const,
  one: (id: string) => [MY, "window", "bundle", id] as const,
};

/** 一件事 at the window: the bundle applications taken, newest first. */
export default function BundlesPage() {
  const { t } = useTranslation("window");
  useDocumentTitle(t("bundles.title"));
  const navigate = useNavigate();
  // On a phone the table keeps the number and the bundle (with its applicant under it): nothing
  // scrolls sideways; the desk shows every column.
  const wide = Grid.useBreakpoint().md ?? false;
  const list = useQuery({
    queryKey: BUNDLE_KEYS.list,
    queryFn: () => unwrap(api.GET("/api/intake/v1/bundle-applications", { params: { query: { limit: 100 } } })),
  });
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("bundles.title")}
      </Typography.Title>
      <div className="staff-toolbar">
        <Button type="primary" icon={<PlusOutlined aria-hidden />} onClick={() => navigate("/work/window/bundles/new")}>
          {t("bundles.new")}
        </Button>
      </div>
      {list.error ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      <Table
        size="small"
        rowKey="id"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={wide ? { x: 720 } : undefined}
        locale={{ emptyText: t("bundles.none") }}
        columns={[
          {
            title: t("bundles.no"),
            dataIndex: "bundle_no",
            render: (no: string, b) => (
              <Link to={`/work/window/bundles/${encodeURIComponent(b.id)}`} className="window-no">
                {no}
              </Link>
            ),
          },
          {
            title: t("bundles.name"),
            dataIndex: "bundle_name",
            render: (name: string, b) =>
              wide ? (
                name
              ) : (
                <>
                  <div className="window-wrap">{name}</div>
                  <div className="muted">
                    {b.applicant_name} · {formatDateTime(b.received_at)}
                  </div>
                </>
              ),
          },
          ...(wide
            ? [
                { title: t("bundles.applicant"), dataIndex: "applicant_name" },
                { title: t("bundles.acceptanceNo"), dataIndex: "acceptance_no", render: (v: string | null) => v ?? "—" },
                { title: t("bundles.received"), dataIndex: "received_at", render: (v: string) => formatDateTime(v) },
                { title: t("bundles.deliveredAt"), dataIndex: "delivered_at", render: (v: string | null) => (v ? formatDateTime(v) : "—") },
              ]
            : []),
        ]}
      />
    </div>
  );
}
