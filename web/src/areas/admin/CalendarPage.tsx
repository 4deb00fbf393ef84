import { useMemo, useState } from "react";
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Switch, Table, Tag, Typography, Upload } from "antd";
import type { UploadFile } from "antd";
import { UploadOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { formatDateTime } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import type { components } from "../../api/schema";
import { isWorking, monthWeeks, type CalendarDay } from "./shared";
import "../../staff/staff.css";
import "./admin.css";

type ImportReport = components["schemas"]["identity__CalendarImportRead"];
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

/** A year at a glance: twelve months, days off and make-up working days marked in words and colour. */
function YearView({ year, days }: { year: number; days: CalendarDay[] }) {
  const { t } = useTranslation("admin");
  const exceptions = useMemo(() => new Map(days.map((d) => [d.day, d])), [days]);
  return (
    <Row gutter={[12, 12]}>
      {Array.from({ length: 12 }, (_, m) => (
        <Col key={m} xs={12} lg={8} xl={6}>
          <table className="adm-month">
            <caption>{t("calendar.month", { year, month: m + 1 })}</caption>
            <thead>
              <tr>
                {WEEKDAYS.map((w) => (
                  <th key={w} scope="col" abbr={t(`calendar.wd.${w}`)}>
                    {t(`calendar.wdShort.${w}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {monthWeeks(year, m).map((week, i) => (
                <tr key={i}>
                  {week.map((day, j) => {
                    if (!day) return <td key={j} />;
                    const e = exceptions.get(day);
                    const working = isWorking(day, exceptions);
                    const cls = e ? (working ? "adm-day-makeup" : "adm-day-holiday") : working ? "" : "adm-day-weekend";
                    const what = e ? (working ? t("calendar.makeUp") : e.name ?? t("calendar.dayOff")) : working ? t("calendar.working") : t("calendar.weekend");
                    return (
                      <td key={j} className={cls} title={`${day} ${what}`}>
                        <span aria-hidden>{Number(day.slice(8))}</span>
                        <span className="visually-hidden">{`${Number(day.slice(8))}日 ${what}`}</span>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </Col>
      ))}
    </Row>
  );
}

/** The days of a report or a year as a table: day, working or not, name, where it comes from. */
function DaysTable({ days }: { days: CalendarDay[] }) {
  const { t } = useTranslation("admin");
  return (
    <Table<CalendarDay>
      size="small"
      rowKey="day"
      dataSource={days}
      pagination={false}
      scroll={{ x: true, y: 360 }}
      columns={[
        { title: t("calendar.day"), dataIndex: "day", className: "nowrap" },
        {
          title: t("calendar.kind"),
          key: "kind",
          className: "nowrap",
          render: (_, d) => (d.is_working_day ? <Tag color="blue">{t("calendar.makeUp")}</Tag> : <Tag color="red">{t("calendar.dayOff")}</Tag>),
        },
        { title: t("calendar.name"), key: "name", render: (_, d) => d.name ?? "—" },
        { title: t("calendar.source"), key: "source", className: "nowrap", render: (_, d) => t(`calendar.src.${d.source}`) },
      ]}
    />
  );
}

/** Import a year's official arrangement file; the report, or every problem of the file. */
function ImportYear({ onImported }: { onImported: (year: number) => void }) {
  const { t } = useTranslation("admin");
  const errorText = useErrorText();
  const [year, setYear] = useState<number | null>(new Date().getFullYear() + 1);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [problem, setProblem] = useState<{ detail: string; items: string[] } | null>(null);
  const file = files[0]?.originFileObj;
  const run = async () => {
    if (!file || !year) return;
    setBusy(true);
    setReport(null);
    setProblem(null);
    try {
      const result = await unwrap(
        api.POST("/api/identity/v1/calendar/years/{year}/import", {
          params: { path: { year } },
          // The generated type names the part as a string; the body actually sent is the multipart form.
          body: { file: file.name },
          bodySerializer: () => {
            const form = new FormData();
            form.append("file", file, file.name);
            return form;
          },
        }),
      );
      setReport(result);
      onImported(result.year);
    } catch (error) {
      if (error instanceof ApiError && error.problem) {
        setProblem({
          detail: error.problem.detail,
          items: (error.problem.errors ?? []).map((e) => `${e.field.replace(/^body\.file\.?/, "") || t("calendar.wholeFile")}：${e.message}`),
        });
      } else setProblem({ detail: errorText(error), items: [] });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" title={<h2 className="adm-card-title">{t("calendar.import")}</h2>}>
      <p className="muted">{t("calendar.importIntro")}</p>
      <pre className="adm-sample">{t("calendar.sample")}</pre>
      <div className="staff-toolbar">
        <label htmlFor="import-year">{t("calendar.importYear")}</label>
        <InputNumber id="import-year" min={1900} max={2200} value={year} onChange={setYear} />
        <Upload
          accept=".yaml,.yml,.json,application/json,text/yaml"
          maxCount={1}
          fileList={files}
          beforeUpload={() => false}
          onChange={({ fileList }) => setFiles(fileList.slice(-1))}
        >
          <Button icon={<UploadOutlined aria-hidden />}>{t("calendar.chooseFile")}</Button>
        </Upload>
        <Button type="primary" disabled={!file || !year} loading={busy} onClick={() => void run()}>
          {t("calendar.doImport")}
        </Button>
      </div>
      {problem ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="adm-gap"
          message={problem.detail}
          description={problem.items.length ? <ul>{problem.items.map((i) => <li key={i}>{i}</li>)}</ul> : undefined}
        />
      ) : null}
      {report ? (
        <div className="adm-report" role="status">
          <Alert
            type={report.changed ? "success" : "info"}
            showIcon
            message={report.changed ? t("calendar.imported", { year: report.year }) : t("calendar.unchanged", { year: report.year })}
          />
          <Descriptions size="small" bordered column={1} className="adm-gap" title={t("calendar.report")}>
            <Descriptions.Item label={t("calendar.notice")}>{report.notice}</Descriptions.Item>
            <Descriptions.Item label={t("calendar.year")}>{report.year}</Descriptions.Item>
            <Descriptions.Item label={t("calendar.holidays")}>{t("calendar.daysCount", { count: report.holidays })}</Descriptions.Item>
            <Descriptions.Item label={t("calendar.makeUps")}>{t("calendar.daysCount", { count: report.make_up_days })}</Descriptions.Item>
          </Descriptions>
          <DaysTable days={report.days} />
        </div>
      ) : null}
    </Card>
  );
}

/** Set one day working or not (wins over the package and over an import). */
function SetDay({ year, onSet }: { year: number; onSet: () => void }) {
  const { t } = useTranslation("admin");
  const { modal, message } = AntApp.useApp();
  const [form] = Form.useForm<{ day: string; is_working_day: boolean; name?: string }>();
  return (
    <Card size="small" title={<h2 className="adm-card-title">{t("calendar.setDay")}</h2>}>
      <p className="muted">{t("calendar.setDayIntro")}</p>
      <Form
        form={form}
        layout="inline"
        className="adm-inline-form"
        initialValues={{ is_working_day: false }}
        onFinish={(v) =>
          modal.confirm({
            title: t("calendar.setDayConfirm", { day: v.day }),
            content: v.is_working_day ? t("calendar.willWork") : t("calendar.willRest"),
            okText: t("calendar.set"),
            cancelText: t("cancel"),
            onOk: async () => {
              try {
                await unwrap(
                  api.PUT("/api/identity/v1/calendar/days/{day}", {
                    params: { path: { day: v.day } },
                    body: { is_working_day: v.is_working_day, name: v.name?.trim() || null },
                  }),
                );
                void message.success(t("calendar.daySet", { day: v.day }));
                onSet();
              } catch (error) {
                modal.error({ title: t("failed"), content: error instanceof ApiError ? error.problem?.detail ?? error.message : String(error) });
              }
            },
          })
        }
      >
        <Form.Item name="day" label={t("calendar.day")} rules={[{ required: true, message: t("calendar.dayNeeded") }]}>
          <Input type="date" min={`${year - 1}-01-01`} />
        </Form.Item>
        <Form.Item name="is_working_day" label={t("calendar.isWorking")} valuePropName="checked">
          <Switch checkedChildren={t("calendar.workingShort")} unCheckedChildren={t("calendar.offShort")} />
        </Form.Item>
        <Form.Item name="name" label={t("calendar.name")}>
          <Input maxLength={50} />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          {t("calendar.set")}
        </Button>
      </Form>
    </Card>
  );
}

function Calendar() {
  const { t } = useTranslation("admin");
  useDocumentTitle(t("calendar.title"));
  const queryClient = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear());
  const years = useQuery({
    queryKey: ["admin", "calendar", "years"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/calendar/years", { params: { query: { limit: 200 } } })),
  });
  const days = useQuery({
    queryKey: ["admin", "calendar", "days", year],
    queryFn: () => unwrap(api.GET("/api/identity/v1/calendar/days", { params: { query: { year, limit: 200 } } })),
  });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ["admin", "calendar"] });
  const info = years.data?.items.find((y) => y.year === year);
  const yearOptions = Array.from(new Set([...(years.data?.items ?? []).map((y) => y.year), year, new Date().getFullYear() + 1])).sort();
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("calendar.title")}
      </Typography.Title>
      <Card size="small" className="adm-gap" title={<h2 className="adm-card-title">{t("calendar.years")}</h2>}>
        {years.isError ? <ErrorAlert error={years.error} /> : null}
        <Table
          size="small"
          rowKey="year"
          loading={years.isPending}
          dataSource={years.data?.items ?? []}
          pagination={false}
          scroll={{ x: true, y: 220 }}
          onRow={(y) => ({ onClick: () => setYear(y.year) })}
          columns={[
            {
              title: t("calendar.year"),
              key: "year",
              render: (_, y) => (
                <Button type="link" size="small" onClick={() => setYear(y.year)} aria-pressed={y.year === year}>
                  {y.year}
                </Button>
              ),
            },
            {
              title: t("calendar.covered"),
              key: "covered",
              className: "nowrap",
              render: (_, y) =>
                y.covered ? <Tag color="success">{t(`calendar.by.${y.covered_by ?? "import"}`)}</Tag> : <Tag color="warning">{t("calendar.notCovered")}</Tag>,
            },
            { title: t("calendar.holidays"), dataIndex: "holidays", className: "nowrap" },
            { title: t("calendar.makeUps"), dataIndex: "make_up_days", className: "nowrap" },
            { title: t("calendar.adminDays"), dataIndex: "admin_days", className: "nowrap" },
            { title: t("calendar.updated"), key: "u", className: "nowrap", render: (_, y) => formatDateTime(y.updated_at) },
          ]}
        />
      </Card>
      <Row gutter={[16, 16]} className="adm-gap">
        <Col xs={24} xl={12}>
          <ImportYear
            onImported={(y) => {
              setYear(y);
              refresh();
            }}
          />
        </Col>
        <Col xs={24} xl={12}>
          <SetDay year={year} onSet={refresh} />
        </Col>
      </Row>
      <Card
        size="small"
        className="adm-gap"
        title={<h2 className="adm-card-title">{t("calendar.yearTitle", { year })}</h2>}
        extra={
          <Select
            aria-label={t("calendar.chooseYear")}
            value={year}
            onChange={setYear}
            options={yearOptions.map((y) => ({ value: y, label: String(y) }))}
            className="adm-year"
          />
        }
      >
        {info && !info.covered ? <Alert type="warning" showIcon className="adm-gap" message={t("calendar.notCoveredHint", { year })} /> : null}
        <div className="adm-legend">
          <span className="adm-key adm-day-holiday">{t("calendar.dayOff")}</span>
          <span className="adm-key adm-day-makeup">{t("calendar.makeUp")}</span>
          <span className="adm-key adm-day-weekend">{t("calendar.weekend")}</span>
        </div>
        {days.isError ? <ErrorAlert error={days.error} /> : null}
        <YearView year={year} days={days.data?.items ?? []} />
        <h3 className="adm-subtitle">{t("calendar.exceptions")}</h3>
        <DaysTable days={days.data?.items ?? []} />
      </Card>
    </div>
  );
}

/** The working-day calendar (工作日历): years covered, a year at a glance, importing a year, setting a day. */
export default function CalendarPage() {
  return (
    <AntApp component={false}>
      <Calendar />
    </AntApp>
  );
}
