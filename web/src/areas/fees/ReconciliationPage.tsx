import { useState } from "react";
import { useSearchParams } from "react-router";
import { Alert, Button, Card, Col, Grid, Input, Row, Skeleton, Statistic, Table, Tag, Typography } from "antd";
import { AuditOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { formatDateTime } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { districtToday } from "../window/model";
import { runColour, yuan, type Reconciliation, type ReconciliationRun } from "./model";
import { FEE_KEYS, getReconciliation, getReconciliationRuns, runReconciliation } from "./queries";
import "./fees.css";

type Problem = Reconciliation["problems"][number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * 对账记录: the days the daily pass reconciled once they were over (and any run again), the latest
 * first; a day is opened above, or run again now (重新对账) after the statement was corrected or a
 * run failed.
 */
function Runs({ onOpen }: { onOpen: (day: string) => void }) {
  const { t } = useTranslation("fees");
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const wide = Grid.useBreakpoint().md ?? false;
  const runs = useQuery({ queryKey: FEE_KEYS.runs, queryFn: getReconciliationRuns });
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const rerun = async (day: string) => {
    setBusy(day);
    setError(null);
    try {
      await runReconciliation(day);
      await queryClient.invalidateQueries({ queryKey: FEE_KEYS.runs });
      await queryClient.invalidateQueries({ queryKey: FEE_KEYS.reconciliation(day) });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };
  const columns = [
    {
      title: t("recon.day"),
      dataIndex: "day",
      key: "day",
      render: (day: string, r: ReconciliationRun) => (
        <>
          <Button type="link" className="fees-day-link" onClick={() => onOpen(day)} aria-label={t("recon.openDay", { day })}>
            {day}
          </Button>
          {wide ? null : (
            <div className="muted">
              {t("recon.runLine", { matched: r.matched, problems: r.problems.length, paid: yuan(r.payments_fen) })}
            </div>
          )}
        </>
      ),
    },
    {
      title: t("recon.status"),
      dataIndex: "status",
      key: "status",
      render: (s: ReconciliationRun["status"], r: ReconciliationRun) => (
        <>
          <Tag color={runColour(s)}>{t(`recon.statuses.${s}`)}</Tag>
          {r.error ? <div className="muted fees-wrap">{r.error}</div> : null}
        </>
      ),
    },
    ...(wide
      ? [
          { title: t("recon.matched"), dataIndex: "matched", key: "matched", align: "right" as const },
          { title: t("recon.problems"), key: "problems", align: "right" as const, render: (_: unknown, r: ReconciliationRun) => r.problems.length },
          { title: t("recon.payments"), dataIndex: "payments_fen", key: "paid", align: "right" as const, render: (v: number) => yuan(v) },
          { title: t("recon.refunds"), dataIndex: "refunds_fen", key: "refunded", align: "right" as const, render: (v: number) => yuan(v) },
          {
            title: t("recon.ranAt"),
            key: "ran",
            render: (_: unknown, r: ReconciliationRun) => `${formatDateTime(r.ran_at)} · ${r.ran_by === "system" ? t("recon.bySystem") : t("recon.byStaff")}`,
          },
        ]
      : []),
    {
      title: <span className="visually-hidden">{t("recon.rerun")}</span>,
      key: "rerun",
      render: (_: unknown, r: ReconciliationRun) => (
        <Button size="small" loading={busy === r.day} onClick={() => void rerun(r.day)} aria-label={t("recon.rerunDay", { day: r.day })}>
          {t("recon.rerun")}
        </Button>
      ),
    },
  ];
  return (
    <section aria-labelledby="recon-runs" className="fees-recon-runs">
      <h2 id="recon-runs" className="fees-recon-h2">
        {t("recon.runs")}
      </h2>
      <p className="muted">{t("recon.runsHint")}</p>
      {error ? <Alert type="error" showIcon role="alert" message={error} className="fees-note" /> : null}
      {runs.isError ? <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} /> : null}
      <Table<ReconciliationRun>
        size="small"
        rowKey="day"
        loading={runs.isPending}
        columns={columns}
        dataSource={runs.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t("recon.noRuns") }}
      />
    </section>
  );
}

/**
 * 收费对账: a day's payments and refunds as intake recorded them against the payment platform's
 * statement — what matched, the statement's sums, and each line that does not match. For
 * supervisors and administrators (intake refuses anyone else); the day is in the address (?day=).
 */
export default function ReconciliationPage() {
  const { t } = useTranslation("fees");
  useDocumentTitle(t("recon.title"));
  const [params, setParams] = useSearchParams();
  const asked = params.get("day");
  const day = asked && DAY.test(asked) ? asked : districtToday();
  const [typed, setTyped] = useState(day);
  const result = useQuery({ queryKey: FEE_KEYS.reconciliation(day), queryFn: () => getReconciliation(day), staleTime: 0 });
  const r = result.data;
  const columns = [
    { title: t("recon.kind"), dataIndex: "kind", key: "kind", render: (k: Problem["kind"]) => t(`recon.kinds.${k}`) },
    { title: t("recon.order"), dataIndex: "merchant_order_no", key: "order", render: (v: string) => <span className="fees-code">{v}</span> },
    { title: t("recon.refundNo"), dataIndex: "refund_no", key: "refund", render: (v: string | null) => v ?? "—", responsive: ["md" as const] },
    { title: t("recon.problem"), dataIndex: "problem", key: "problem", render: (p: Problem["problem"]) => <Tag color="red">{t(`recon.problemKinds.${p}`)}</Tag> },
    { title: t("recon.ours"), dataIndex: "ours_fen", key: "ours", align: "right" as const, render: (v: number | null) => (v === null ? "—" : yuan(v)) },
    { title: t("recon.theirs"), dataIndex: "theirs_fen", key: "theirs", align: "right" as const, render: (v: number | null) => (v === null ? "—" : yuan(v)) },
  ];
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("recon.title")}
      </Typography.Title>
      <p className="muted">{t("recon.intro")}</p>
      <form
        className="fees-recon-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (DAY.test(typed)) setParams({ day: typed });
        }}
      >
        <label>
          <span className="visually-hidden">{t("recon.day")}</span>
          <Input type="date" value={typed} max={districtToday()} onChange={(e) => setTyped(e.target.value)} aria-label={t("recon.day")} />
        </label>
        <Button type="primary" htmlType="submit" icon={<AuditOutlined aria-hidden />} loading={result.isFetching}>
          {t("recon.run")}
        </Button>
      </form>
      {result.isPending ? <Skeleton active className="fees-recon-stats" /> : null}
      {result.isError ? <ErrorAlert error={result.error} onRetry={() => void result.refetch()} /> : null}
      {r ? (
        <>
          <Row gutter={[12, 12]} className="fees-recon-stats">
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t("recon.matched")} value={r.matched} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t("recon.problems")} value={r.problems.length} valueStyle={r.problems.length > 0 ? { color: "#cf1322" } : undefined} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t("recon.payments")} value={yuan(r.payments_fen)} />
              </Card>
            </Col>
            <Col xs={12} md={6}>
              <Card size="small">
                <Statistic title={t("recon.refunds")} value={yuan(r.refunds_fen)} />
              </Card>
            </Col>
          </Row>
          {r.problems.length === 0 ? (
            <Alert type="success" showIcon role="status" message={t("recon.allMatched", { day: r.day })} />
          ) : (
            <>
              <Alert type="error" showIcon role="status" message={t("recon.someProblems", { day: r.day, count: r.problems.length })} />
              <h2 className="fees-recon-h2">{t("recon.table")}</h2>
              <Table<Problem>
                size="small"
                rowKey={(p) => `${p.kind}-${p.merchant_order_no}-${p.refund_no ?? ""}`}
                columns={columns}
                dataSource={r.problems}
                pagination={false}
                scroll={{ x: "max-content" }}
              />
            </>
          )}
          <p className="muted fees-recon-net">
            {t("recon.net")}：{yuan(r.payments_fen - r.refunds_fen)}
          </p>
        </>
      ) : null}
      <Runs
        onOpen={(d) => {
          setTyped(d);
          setParams({ day: d });
          window.scrollTo(0, 0);
        }}
      />
    </div>
  );
}
