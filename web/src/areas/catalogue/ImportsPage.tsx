import { useState } from "react";
import { Link } from "react-router";
import { Alert, App as AntApp, Button, Card, Collapse, Descriptions, Skeleton, Table, Tag, Typography, Upload } from "antd";
import type { UploadFile } from "antd";
import { DownloadOutlined, UploadOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import {
  fileKey,
  formatSize,
  mayImport,
  reportOfProblem,
  rowsWithProblems,
  verdictOf,
  type ImportProblem,
  type ImportReport,
  type ImportRow,
} from "./imports";
import "../../staff/staff.css";
import "./catalogue.css";

const TEMPLATE = "/api/catalog/v1/imports/template";

/** The template downloads, the limits and every column with what to write in it. */
function FormatHelp() {
  const { t } = useTranslation("catalogue");
  const format = useQuery({
    queryKey: ["catalogue", "import-format"],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/imports/format")),
    staleTime: Infinity,
  });
  return (
    <Card size="small" className="cat-import-card" title={<h2 className="cat-card-title">{t("imports.prepare")}</h2>}>
      <div className="staff-toolbar">
        <Button href={`${TEMPLATE}?format=xlsx`} download icon={<DownloadOutlined aria-hidden />}>
          {t("imports.templateXlsx")}
        </Button>
        <Button href={`${TEMPLATE}?format=csv`} download icon={<DownloadOutlined aria-hidden />}>
          {t("imports.templateCsv")}
        </Button>
      </div>
      {format.isError ? <ErrorAlert error={format.error} onRetry={() => void format.refetch()} /> : null}
      {format.data ? (
        <>
          <p className="cat-import-note">
            {t("imports.limits", { rows: format.data.max_rows, size: formatSize(format.data.max_bytes) })}
          </p>
          <p className="cat-import-note">
            {t("imports.separators", { list: format.data.list_separator, field: format.data.field_separator })}
          </p>
          <Collapse
            size="small"
            items={[
              {
                key: "columns",
                label: t("imports.columns", { count: format.data.columns.length }),
                children: (
                  <Table
                    size="small"
                    rowKey="name"
                    pagination={false}
                    dataSource={format.data.columns}
                    scroll={{ x: true }}
                    columns={[
                      {
                        title: t("imports.column"),
                        key: "name",
                        className: "nowrap",
                        render: (_, c) => (c.required ? `${c.name} *` : c.name),
                      },
                      { title: t("imports.help"), dataIndex: "help" },
                    ]}
                  />
                ),
              },
            ]}
          />
        </>
      ) : format.isPending ? (
        <Skeleton active paragraph={{ rows: 2 }} />
      ) : null}
    </Card>
  );
}

/** The counts, the problems row by row and column by column, and what each valid row does. */
function ReportView({ report }: { report: ImportReport }) {
  const { t } = useTranslation("catalogue");
  const verdict = verdictOf(report);
  const c = report.counts;
  const changes = { created: c.created, updated: c.updated, versions: c.new_versions };
  const written = report.imported;
  return (
    <section className="cat-import-report" aria-label={t(written ? "imports.reportImported" : "imports.report", { file: report.file_name })}>
      <h2 className="cat-section-title">{t(written ? "imports.reportImported" : "imports.report", { file: report.file_name })}</h2>
      {verdict === "imported" ? (
        <Alert
          type="success"
          showIcon
          role="status"
          className="cat-alert"
          message={t("imports.imported", changes)}
          action={<Link to="/work/catalogue">{t("imports.toWork")}</Link>}
        />
      ) : verdict === "problems" ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="cat-alert"
          message={t("imports.problems", { count: report.problems.length, rows: rowsWithProblems(report.problems).length })}
        />
      ) : verdict === "nothing" ? (
        <Alert type="info" showIcon role="status" className="cat-alert" message={t("imports.nothing")} />
      ) : (
        <Alert type="success" showIcon role="status" className="cat-alert" message={t("imports.ready", { rows: report.outcomes.length })} />
      )}
      <Descriptions size="small" bordered column={{ xs: 2, sm: 3, xl: 6 }} className="cat-import-counts" title={t("imports.counts")}>
        <Descriptions.Item label={t("imports.rows")}>{c.rows}</Descriptions.Item>
        <Descriptions.Item label={t("imports.created")}>{c.created}</Descriptions.Item>
        <Descriptions.Item label={t("imports.updated")}>{c.updated}</Descriptions.Item>
        <Descriptions.Item label={t("imports.newVersions")}>{c.new_versions}</Descriptions.Item>
        <Descriptions.Item label={t("imports.unchanged")}>{c.unchanged}</Descriptions.Item>
        <Descriptions.Item label={t("imports.rejected")}>
          {c.rejected > 0 ? <span className="cat-finding-error">{c.rejected}</span> : 0}
        </Descriptions.Item>
      </Descriptions>
      {report.problems.length > 0 ? (
        <>
          <h3 className="cat-subtitle">{t("imports.problemsTitle")}</h3>
          <Table<ImportProblem>
            size="small"
            className="cat-import-problems"
            rowKey={(p) => `${p.row}-${p.column}-${p.message}`}
            dataSource={report.problems}
            pagination={report.problems.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: true }}
            columns={[
              {
                title: t("imports.row"),
                key: "row",
                className: "nowrap",
                render: (_, p) => (p.row === 1 ? t("imports.rowHeader") : p.row === 0 ? "—" : p.row),
              },
              { title: t("imports.column"), dataIndex: "column", className: "cat-import-column" },
              { title: t("imports.problem"), dataIndex: "message" },
            ]}
          />
        </>
      ) : null}
      {report.outcomes.length > 0 ? (
        <>
          <h3 className="cat-subtitle">{t("imports.itemsTitle")}</h3>
          <Table<ImportRow>
            size="small"
            rowKey="row"
            dataSource={report.outcomes}
            pagination={report.outcomes.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            scroll={{ x: true }}
            columns={[
              { title: t("imports.row"), dataIndex: "row", className: "nowrap" },
              {
                title: t("imports.name"),
                key: "name",
                className: "cat-col-name",
                render: (_, r) =>
                  written && r.item_code ? (
                    <Link to={`/work/catalogue/items/${encodeURIComponent(r.item_code)}?v=${r.version_no ?? ""}`}>{r.name}</Link>
                  ) : (
                    r.name
                  ),
              },
              {
                title: t("imports.result"),
                key: "action",
                className: "nowrap",
                render: (_, r) => (
                  <Tag color={r.action === "unchanged" ? "default" : r.action === "created" ? "blue" : "gold"}>
                    {t(`imports.action.${r.action}`)}
                  </Tag>
                ),
              },
              {
                title: t("imports.code"),
                key: "code",
                className: "nowrap",
                render: (_, r) => r.item_code ?? <span className="muted">{t("imports.notYet")}</span>,
              },
              {
                title: t("imports.version"),
                key: "version",
                className: "nowrap",
                render: (_, r) => (r.version_no ? t("work.versionNo", { no: r.version_no }) : "—"),
              },
            ]}
          />
        </>
      ) : null}
    </section>
  );
}

/** Bulk import (批量导入): choose a file, check it (a dry run: the report row by row), then import it. */
function Importer() {
  const { t } = useTranslation("catalogue");
  useDocumentTitle(t("imports.title"));
  const { modal } = AntApp.useApp();
  const queryClient = useQueryClient();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState<"check" | "import" | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const file = files[0]?.originFileObj;
  const current = file ? fileKey(file) : null;

  const send = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(dryRun ? "check" : "import");
    setError(null);
    try {
      const result = await unwrap(
        api.POST("/api/catalog/v1/imports", {
          // The generated type names the part as a string; the body actually sent is the multipart form.
          body: { file: file.name, dry_run: dryRun },
          bodySerializer: () => {
            const form = new FormData();
            form.append("file", file, file.name);
            form.append("dry_run", dryRun ? "true" : "false");
            return form;
          },
        }),
      );
      setReport(result);
      setChecked(dryRun ? fileKey(file) : null);
      if (!dryRun) {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: [MY, "catalogue"] }),
          queryClient.invalidateQueries({ queryKey: ["catalogue", "items"] }),
        ]);
      }
    } catch (e) {
      const refused = e instanceof ApiError ? reportOfProblem(e.problem) : null;
      setReport(refused);
      setChecked(null);
      setError(refused ? null : e);
    } finally {
      setBusy(null);
    }
  };

  const ready = mayImport(report, checked, current);
  const stale = !!report?.dry_run && checked !== current;
  const hint = !file
    ? t("imports.chooseHint")
    : stale && checked !== null
      ? t("imports.changedSinceCheck")
      : !ready && !report
        ? t("imports.checkFirst")
        : null;
  const confirmImport = () => {
    if (!report) return;
    modal.confirm({
      title: t("imports.importTitle"),
      content: t("imports.importText", {
        created: report.counts.created,
        updated: report.counts.updated,
        versions: report.counts.new_versions,
      }),
      okText: t("imports.import"),
      cancelText: t("common.cancel"),
      onOk: () => send(false),
    });
  };

  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("imports.title")}
      </Typography.Title>
      <Alert type="info" showIcon className="cat-intro" message={t("imports.intro")} description={t("imports.rules")} />
      <FormatHelp />
      <Card size="small" className="cat-import-card" title={<h2 className="cat-card-title">{t("imports.upload")}</h2>}>
        <div className="cat-import-file">
          <Upload
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            maxCount={1}
            fileList={files}
            beforeUpload={() => false}
            onChange={({ fileList }) => {
              setFiles(fileList.slice(-1));
              setError(null);
            }}
          >
            <Button icon={<UploadOutlined aria-hidden />}>{t("imports.choose")}</Button>
          </Upload>
        </div>
        <div className="staff-toolbar">
          <Button disabled={!file || busy !== null} loading={busy === "check"} onClick={() => void send(true)}>
            {t("imports.check")}
          </Button>
          <Button type="primary" disabled={!ready || busy !== null} loading={busy === "import"} onClick={confirmImport}>
            {t("imports.import")}
          </Button>
        </div>
        {hint ? <p className="muted cat-import-note">{hint}</p> : null}
        {error ? <ErrorAlert error={error} /> : null}
        {report && !error && !stale ? <ReportView report={report} /> : null}
      </Card>
    </div>
  );
}

export default function ImportsPage() {
  return (
    <AntApp component={false}>
      <Importer />
    </AntApp>
  );
}
