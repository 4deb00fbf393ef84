import { useState } from "react";
import { Button, Card, Col, Empty, List, Row, Segmented, Select, Table, Typography } from "antd";
import { DownloadOutlined } from "@ant-design/icons";
import { useQueries, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { Chart } from "./Chart";
import { monthOf, monthsUpTo, percent, sampleOf, sharePercent, withSample } from "./model";
import { useUnitNames } from "../../components/UnitName";
import "./supervision.css";

type Dimension = components["schemas"]["evaluation__Dimension"];
type IndicatorRow = components["schemas"]["evaluation__IndicatorRead"];
type HotlineRow = components["schemas"]["hotline__UnitRatesRead"];
type Values = components["schemas"]["evaluation__IndicatorValues"];

const BAR_HEIGHT = 34;
const pct = (share: number | null) => (share === null ? null : Math.round(share * 1000) / 10);

/** The three 12345 rates per unit, each bar labelled with its rate and the calls it counts. */
function HotlineRates({ month }: { month: string }) {
  const { t } = useTranslation("supervision");
  const rates = useQuery({
    queryKey: [MY, "supervision", "hotline-rates", month],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/rates", { params: { query: { month, limit: 200 } } })),
  });
  const rows = rates.data?.items ?? [];
  const names = useUnitNames(rows.map((r) => r.unit_code));
  const series = (
    [
      ["response_rate", "responses_due"],
      ["resolution_rate", "called_back"],
      ["satisfaction_rate", "called_back"],
    ] as const
  ).map(([rate, base]) => ({
    name: t(`hotline.${rate}`),
    type: "bar",
    data: rows.map((r) => ({ value: r[rate], n: r[base] })),
    label: { show: true, position: "right", formatter: (p: { data: { value: number | null; n: number } }) => withSample(percent(p.data.value), p.data.n), fontSize: 11 },
  }));
  return (
    <Card size="small" className="sv-section" title={<h2 className="card-title">{t("hotline.title")}</h2>}>
      <p className="muted">{t("hotline.hint")}</p>
      {rates.isError ? <ErrorAlert error={rates.error} /> : null}
      {rows.length === 0 && !rates.isLoading ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noData")} /> : null}
      {rows.length > 0 ? (
        <Chart
          caption={t("hotline.chart", { month })}
          height={Math.max(160, rows.length * BAR_HEIGHT * 3 + 60)}
          option={{
            tooltip: { trigger: "axis" },
            legend: { top: 0 },
            grid: { left: 8, right: 110, top: 30, bottom: 8, containLabel: true },
            xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
            yAxis: { type: "category", inverse: true, data: rows.map((r) => names[r.unit_code]) },
            series,
          }}
        />
      ) : null}
      {rows.length > 0 || rates.isLoading ? (
      <Table<HotlineRow>
        className="sv-table"
        size="small"
        rowKey="unit_code"
        loading={rates.isLoading}
        dataSource={rows}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t("col.unit"), dataIndex: "unit_code", render: (u: string) => names[u] },
          { title: t("hotline.response_rate"), key: "r", render: (_, r) => withSample(percent(r.response_rate), r.responses_due) },
          { title: t("hotline.resolution_rate"), key: "s", render: (_, r) => withSample(percent(r.resolution_rate), r.called_back) },
          { title: t("hotline.satisfaction_rate"), key: "m", render: (_, r) => withSample(percent(r.satisfaction_rate), r.called_back) },
          { title: t("hotline.composite"), dataIndex: "composite", render: (v: number | null) => (v === null ? "—" : v.toFixed(2)) },
        ]}
      />
      ) : null}
    </Card>
  );
}

/** 好差评 by unit, window, staff member or item: the good-review rate with the ratings it counts. */
function Evaluations({ month }: { month: string }) {
  const { t } = useTranslation("supervision");
  const [dimension, setDimension] = useState<Dimension>("unit");
  const data = useQuery({
    queryKey: [MY, "supervision", "indicators", dimension, month],
    queryFn: () =>
      unwrap(api.GET("/api/evaluation/v1/indicators/{dimension}", { params: { path: { dimension }, query: { month, limit: 200 } } })),
  });
  const rows = (data.data?.items ?? []).filter((r) => r.indicators.ratings > 0);
  const label = (r: IndicatorRow) => r.name ?? r.key;
  return (
    <Card size="small" className="sv-section" title={<h2 className="card-title">{t("eval.title")}</h2>}>
      <div className="staff-toolbar">
        <Segmented<Dimension>
          aria-label={t("eval.by")}
          value={dimension}
          onChange={setDimension}
          options={(["unit", "window", "staff", "item"] as const).map((d) => ({ value: d, label: t(`dimension.${d}`) }))}
        />
      </div>
      {data.isError ? <ErrorAlert error={data.error} /> : null}
      {rows.length === 0 && !data.isLoading ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t("noData")} /> : null}
      {rows.length > 0 ? (
        <Chart
          caption={t("eval.chart", { month, by: t(`dimension.${dimension}`) })}
          height={Math.max(140, rows.length * BAR_HEIGHT + 50)}
          option={{
            tooltip: { trigger: "axis" },
            grid: { left: 8, right: 110, top: 10, bottom: 8, containLabel: true },
            xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
            yAxis: { type: "category", inverse: true, data: rows.map(label), axisLabel: { width: 140, overflow: "truncate" } },
            series: [
              {
                name: t("ind.good_rate"),
                type: "bar",
                data: rows.map((r) => ({ value: pct(r.indicators.good_rate), n: r.indicators.ratings })),
                label: {
                  show: true,
                  position: "right",
                  fontSize: 11,
                  formatter: (p: { data: { value: number | null; n: number } }) => withSample(p.data.value === null ? "—" : `${p.data.value.toFixed(1)}%`, p.data.n),
                },
              },
            ],
          }}
        />
      ) : null}
      {rows.length > 0 || data.isLoading ? (
      <Table<IndicatorRow>
        className="sv-table"
        size="small"
        rowKey="key"
        loading={data.isLoading}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        scroll={{ x: true }}
        columns={[
          { title: t(`dimension.${dimension}`), key: "name", render: (_, r) => label(r) },
          { title: t("ind.ratings"), key: "n", align: "right", render: (_, r) => r.indicators.ratings },
          { title: t("ind.good_rate"), key: "g", render: (_, r) => sharePercent(r.indicators.good_rate) },
          { title: t("ind.bad_reviews"), key: "b", align: "right", render: (_, r) => r.indicators.bad_reviews },
          { title: t("ind.callback_rate"), key: "c", render: (_, r) => withSample(sharePercent(r.indicators.callback_rate), sampleOf("callback_rate", r.counters)) },
          { title: t("ind.rectification_rate"), key: "x", render: (_, r) => withSample(sharePercent(r.indicators.rectification_rate), sampleOf("rectification_rate", r.counters)) },
        ]}
      />
      ) : null}
    </Card>
  );
}

/** The district's good-review rate month by month (the published figures), with each month's ratings. */
function Trend({ month }: { month: string }) {
  const { t } = useTranslation("supervision");
  const months = monthsUpTo(month, 6);
  const found = useQueries({
    queries: months.map((m) => ({
      queryKey: ["supervision", "public-indicators", m],
      queryFn: () => unwrap(api.GET("/api/evaluation/v1/indicators/public", { params: { query: { month: m } } })),
      staleTime: 10 * 60_000,
    })),
  });
  const points = months.map((m, i) => ({ month: m, values: found[i]?.data?.district }));
  return (
    <Card size="small" className="sv-section" title={<h2 className="card-title">{t("trend.title")}</h2>}>
      <Chart
        caption={t("trend.chart")}
        height={240}
        option={{
          tooltip: { trigger: "axis" },
          grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
          xAxis: { type: "category", data: months },
          yAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
          series: [
            {
              name: t("ind.good_rate"),
              type: "line",
              connectNulls: false,
              data: points.map((p) => ({ value: pct(p.values?.good_rate ?? null), n: p.values?.ratings ?? 0 })),
              label: {
                show: true,
                fontSize: 11,
                formatter: (p: { data: { value: number | null; n: number } }) => withSample(p.data.value === null ? "—" : `${p.data.value.toFixed(1)}%`, p.data.n),
              },
            },
          ],
        }}
      />
      <Table
        className="sv-table"
        size="small"
        rowKey="month"
        dataSource={points}
        pagination={false}
        scroll={{ x: true }}
        columns={[
          { title: t("trend.month"), dataIndex: "month" },
          { title: t("ind.ratings"), key: "n", align: "right", render: (_, p) => p.values?.ratings ?? "—" },
          { title: t("ind.good_rate"), key: "g", render: (_, p) => sharePercent(p.values?.good_rate) },
          { title: t("ind.bad_reviews"), key: "b", align: "right", render: (_, p) => p.values?.bad_reviews ?? "—" },
        ]}
      />
    </Card>
  );
}

/** 一网通办 indicators per unit: on-the-spot, online intake, zero visits, visits, time-limit compression. */
function OneNetwork({ month }: { month: string }) {
  const { t } = useTranslation("supervision");
  const data = useQuery({
    queryKey: [MY, "supervision", "indicators", "unit", month],
    queryFn: () =>
      unwrap(api.GET("/api/evaluation/v1/indicators/{dimension}", { params: { path: { dimension: "unit" }, query: { month, limit: 200 } } })),
  });
  const share = (name: keyof Values) => (_: unknown, r: IndicatorRow) =>
    withSample(sharePercent(r.indicators[name] as number | null), sampleOf(name, r.counters));
  return (
    <Card size="small" className="sv-section" title={<h2 className="card-title">{t("one.title")}</h2>}>
      {data.isError ? <ErrorAlert error={data.error} /> : null}
      <Table<IndicatorRow>
        className="sv-table"
        size="small"
        rowKey="key"
        loading={data.isLoading}
        dataSource={data.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
        locale={{ emptyText: t("noData") }}
        columns={[
          { title: t("col.unit"), key: "name", render: (_, r) => r.name ?? r.key },
          { title: t("ind.on_the_spot_share"), key: "a", render: share("on_the_spot_share") },
          { title: t("ind.online_intake_share"), key: "b", render: share("online_intake_share") },
          { title: t("ind.zero_visit_share"), key: "c", render: share("zero_visit_share") },
          {
            title: t("ind.avg_visits"),
            key: "d",
            render: (_, r) => withSample(r.indicators.avg_visits === null ? "—" : r.indicators.avg_visits.toFixed(2), sampleOf("avg_visits", r.counters)),
          },
          { title: t("ind.limit_compression"), key: "e", render: (_, r) => sharePercent(r.indicators.limit_compression) },
          {
            title: t("ind.avg_completion_days"),
            key: "f",
            render: (_, r) =>
              withSample(r.indicators.avg_completion_days === null ? "—" : r.indicators.avg_completion_days.toFixed(1), sampleOf("avg_completion_days", r.counters)),
          },
        ]}
      />
    </Card>
  );
}

/** The configured rankings (红旗窗口, 服务之星, …) and the hotline's street and department rankings. */
function Rankings({ month }: { month: string }) {
  const { t } = useTranslation("supervision");
  const rules = useQuery({
    queryKey: ["supervision", "ranking-rules"],
    queryFn: () => unwrap(api.GET("/api/evaluation/v1/ranking-rules", { params: { query: { limit: 50 } } })),
    staleTime: 10 * 60_000,
  });
  const names = (rules.data?.items ?? []).map((r) => r.name);
  const rankings = useQueries({
    queries: names.map((name) => ({
      queryKey: [MY, "supervision", "ranking", name, month],
      queryFn: () => unwrap(api.GET("/api/evaluation/v1/rankings/{name}", { params: { path: { name }, query: { month } } })),
    })),
  });
  const hotline = useQueries({
    queries: (["street", "department"] as const).map((kind) => ({
      queryKey: [MY, "supervision", "hotline-ranking", kind, month],
      queryFn: () => unwrap(api.GET("/api/hotline/v1/rankings", { params: { query: { month, kind, limit: 10 } } })),
    })),
  });
  const hotlineUnits = useUnitNames(hotline.flatMap((h) => (h.data?.items ?? []).map((r) => r.unit_code)));
  return (
    <Card size="small" className="sv-section" title={<h2 className="card-title">{t("rank.title")}</h2>}>
      {rules.isError ? <ErrorAlert error={rules.error} /> : null}
      <Row gutter={[16, 16]}>
        {rankings.map((r, i) => {
          const rule = rules.data?.items[i];
          if (!rule) return null;
          return (
            <Col key={rule.name} xs={24} md={12} xl={6}>
              <h3 className="sv-rank-title">{r.data?.rule.title ?? rule.title}</h3>
              <p className="muted sv-rank-rule">
                {t("rank.rule", { min: rule.min_ratings, value: sharePercent(rule.min_value), top: rule.top_n })}
              </p>
              <List
                size="small"
                bordered
                loading={r.isLoading}
                locale={{ emptyText: t("rank.none") }}
                dataSource={r.data?.rows ?? []}
                renderItem={(row) => (
                  <List.Item>
                    <span>
                      {t("rank.place", { rank: row.rank })} {row.name ?? row.key}
                    </span>
                    <span>{withSample(sharePercent(row.value), row.ratings)}</span>
                  </List.Item>
                )}
              />
            </Col>
          );
        })}
        {hotline.map((h, i) => (
          <Col key={i} xs={24} md={12} xl={6}>
            <h3 className="sv-rank-title">{t(i === 0 ? "rank.streets" : "rank.departments")}</h3>
            <p className="muted sv-rank-rule">{t("rank.composite")}</p>
            {h.isError ? <ErrorAlert error={h.error} /> : null}
            <List
              size="small"
              bordered
              loading={h.isLoading}
              locale={{ emptyText: t("rank.none") }}
              dataSource={h.data?.items ?? []}
              renderItem={(row) => (
                <List.Item>
                  <span>
                    {t("rank.place", { rank: row.rank ?? "—" })} {hotlineUnits[row.unit_code]}
                  </span>
                  <span>{row.composite === null ? "—" : `${row.composite.toFixed(2)}（n=${row.responses_due}）`}</span>
                </List.Item>
              )}
            />
          </Col>
        ))}
      </Row>
    </Card>
  );
}

/** The monthly report as a file (XLSX or CSV), for the district by unit or by item. */
function Reports({ month }: { month: string }) {
  const { t } = useTranslation("supervision");
  const errorText = useErrorText();
  const [by, setBy] = useState<"unit" | "item">("unit");
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (format: "xlsx" | "csv") => {
    setBusy(format);
    setError(null);
    try {
      const blob = (await unwrap(
        api.GET("/api/evaluation/v1/reports/monthly", { params: { query: { month, by, format } }, parseAs: "blob" }),
      )) as unknown as Blob;
      const url = URL.createObjectURL(blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `evaluation-district-${by === "item" ? "items-" : ""}${month}.${format}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  return (
    <Card size="small" className="sv-section" title={<h2 className="card-title">{t("report.title")}</h2>}>
      <p className="muted">{t("report.hint", { month })}</p>
      <div className="staff-toolbar">
        <Segmented<"unit" | "item">
          aria-label={t("report.by")}
          value={by}
          onChange={setBy}
          options={[
            { value: "unit", label: t("report.byUnit") },
            { value: "item", label: t("report.byItem") },
          ]}
        />
        <Button icon={<DownloadOutlined aria-hidden />} loading={busy === "xlsx"} onClick={() => void download("xlsx")}>
          {t("report.xlsx")}
        </Button>
        <Button icon={<DownloadOutlined aria-hidden />} loading={busy === "csv"} onClick={() => void download("csv")}>
          {t("report.csv")}
        </Button>
      </div>
      {error ? (
        <p className="error-text" role="alert">
          {error}
        </p>
      ) : null}
    </Card>
  );
}

/** 指标与排名: the 12345 rates, 好差评 by unit/window/staff/item and by month, the one-network
 * indicators, the rankings and the monthly report — every rate beside its sample size. */
export default function IndicatorsPage() {
  const { t } = useTranslation("supervision");
  const current = monthOf(new Date());
  const [month, setMonth] = useState(current);
  useDocumentTitle(t("ind.pageTitle"));
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("ind.pageTitle")}
      </Typography.Title>
      <div className="staff-toolbar">
        <label htmlFor="sv-month">{t("month")}</label>
        <Select
          id="sv-month"
          value={month}
          onChange={setMonth}
          className="sv-select-month"
          options={monthsUpTo(current, 12)
            .reverse()
            .map((m) => ({ value: m, label: m }))}
        />
      </div>
      <HotlineRates month={month} />
      <Evaluations month={month} />
      <Trend month={month} />
      <OneNetwork month={month} />
      <Rankings month={month} />
      <Reports month={month} />
    </div>
  );
}
