import { useState } from "react";
import { Link } from "react-router";
import { Button, Card, Input, Popconfirm, Segmented, Select, Table, Tag, Typography, message as antMessage } from "antd";
import { ReloadOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { codeLabel } from "../../lib/labels";
import { formatDate, formatDateTime } from "../../lib/format";
import { useSession } from "../../auth/useSession";
import { Light, RemainingDays } from "../../staff/Light";
import { unitLines, type BoardCase, type UnitLine } from "./model";
import { UnitName } from "../../components/UnitName";
import "./supervision.css";

type Escalation = components["schemas"]["intake__CaseEscalationRead"];
type Colour = "all" | BoardCase["colour"];
type Kind = "all" | Escalation["kind"];

/** Cases per page of the board's list: the server pages and filters them. */
const CASES_PER_PAGE = 50;

/** Acknowledge (签收) a reminder or escalation that names me, with an optional note. */
function Acknowledge({ escalation, onDone }: { escalation: Escalation; onDone: () => void }) {
  const { t } = useTranslation("supervision");
  const errorText = useErrorText();
  const [note, setNote] = useState("");
  const [error, setError] = useState<string | null>(null);
  const send = async () => {
    setError(null);
    try {
      await unwrap(
        api.POST("/api/intake/v1/escalations/{escalation_id}/acknowledge", {
          params: { path: { escalation_id: escalation.id } },
          body: { note: note || null },
        }),
      );
      onDone();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <span className="sv-ack">
      <Input size="small" value={note} onChange={(e) => setNote(e.target.value)} placeholder={t("esc.notePlaceholder")} aria-label={t("esc.note", { no: escalation.application_no })} />
      <Button size="small" onClick={() => void send()}>
        {t("esc.acknowledge")}
      </Button>
      {error ? (
        <span className="error-text" role="alert">
          {error}
        </span>
      ) : null}
    </span>
  );
}

/**
 * Electronic supervision (电子监察): every open case by deciding unit with its light, the overdue
 * ones, the reminders (催办) and escalations (督办) raised on them, and the passes that raise them.
 */
export default function BoardPage() {
  const { t } = useTranslation("supervision");
  const { claims } = useSession();
  const queryClient = useQueryClient();
  const errorText = useErrorText();
  const [message, messageHolder] = antMessage.useMessage();
  const [unit, setUnit] = useState<string | undefined>(undefined);
  const [colour, setColour] = useState<Colour>("all");
  const [kind, setKind] = useState<Kind>("all");
  useDocumentTitle(t("board.title"));
  const mayScan = Boolean(claims?.roles.some((r) => r === "supervisor" || r === "admin"));

  const [page, setPage] = useState(1);
  // The counts per unit come from the server, counted over every open case the caller may see;
  // the list is one page of them, filtered by the server.
  const summary = useQuery({
    queryKey: [MY, "supervision", "summary"],
    queryFn: () => unwrap(api.GET("/api/intake/v1/supervision/summary")),
    refetchInterval: 60_000,
  });
  const board = useQuery({
    queryKey: [MY, "supervision", "board", unit ?? "", colour, page],
    queryFn: () =>
      unwrap(
        api.GET("/api/intake/v1/supervision/cases", {
          params: {
            query: {
              limit: CASES_PER_PAGE,
              offset: (page - 1) * CASES_PER_PAGE,
              unit_code: unit,
              colour: colour === "all" ? undefined : colour,
            },
          },
        }),
      ),
    refetchInterval: 60_000,
    placeholderData: (previous) => previous,
  });
  const escalations = useQuery({
    queryKey: [MY, "supervision", "escalations", kind],
    queryFn: () =>
      unwrap(api.GET("/api/intake/v1/escalations", { params: { query: { limit: 100, kind: kind === "all" ? undefined : kind } } })),
  });
  const mine = useQuery({
    queryKey: [MY, "supervision", "escalations", "mine"],
    queryFn: () => unwrap(api.GET("/api/intake/v1/escalations/mine", { params: { query: { limit: 50, acknowledged: false } } })),
  });

  const units = unitLines(summary.data?.units ?? []);
  const shown = board.data?.items ?? [];
  const chooseUnit = (u?: string) => {
    setUnit(u);
    setPage(1);
  };
  const chooseColour = (c: Colour) => {
    setColour(c);
    setPage(1);
  };

  const run = async (which: "scan" | "escalate") => {
    try {
      if (which === "scan") {
        const r = await unwrap(api.POST("/api/intake/v1/supervision/scan"));
        void message.success(t("board.scanned", { flagged: r.overdue_flagged, revoked: r.deficiencies_revoked, deemed: r.deemed_accepted }));
      } else {
        const r = await unwrap(api.POST("/api/intake/v1/escalations/scan"));
        void message.success(t("board.escalated", { reminded: r.reminded, unit: r.escalated_to_unit, district: r.escalated_to_district }));
      }
      await queryClient.invalidateQueries({ queryKey: [MY, "supervision"] });
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <div className="staff-page">
      {messageHolder}
      <Typography.Title level={1} className="staff-title">
        {t("board.title")}
      </Typography.Title>
      <p className="muted sv-hint">{t("board.hint")}</p>
      <div className="staff-toolbar">
        <Button icon={<ReloadOutlined aria-hidden />} onClick={() => void queryClient.invalidateQueries({ queryKey: [MY, "supervision"] })} loading={board.isFetching}>
          {t("refresh")}
        </Button>
        {mayScan ? (
          <>
            <Popconfirm title={t("board.scanConfirm")} description={t("board.scanHint")} okText={t("board.scan")} cancelText={t("cancel")} onConfirm={() => run("scan")}>
              <Button>{t("board.scan")}</Button>
            </Popconfirm>
            <Popconfirm title={t("board.escalateConfirm")} description={t("board.escalateHint")} okText={t("board.escalate")} cancelText={t("cancel")} onConfirm={() => run("escalate")}>
              <Button type="primary">{t("board.escalate")}</Button>
            </Popconfirm>
          </>
        ) : null}
      </div>
      {summary.isError ? <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} /> : null}
      {board.isError ? <ErrorAlert error={board.error} onRetry={() => void board.refetch()} /> : null}

      {(mine.data?.items ?? []).length > 0 ? (
        <Card size="small" className="sv-section" title={<h2 className="card-title">{t("esc.mine", { count: mine.data?.total ?? 0, plus: mine.data?.total_exact === false ? "+" : "" })}</h2>}>
          <Table<Escalation>
            size="small"
            rowKey="id"
            dataSource={mine.data?.items ?? []}
            pagination={false}
            scroll={{ x: true }}
            columns={[
              { title: t("esc.kind"), dataIndex: "kind", render: (k: Escalation["kind"]) => <Tag color={k === "reminder" ? "warning" : "error"}>{t(`kind.${k}`)}</Tag> },
              { title: t("col.no"), dataIndex: "application_no", render: (no: string, e) => <Link to={`/work/supervision/cases/${e.application_id}`}>{no}</Link> },
              { title: t("esc.message"), dataIndex: "message", onCell: () => ({ style: { minWidth: 280 } }) },
              { title: t("esc.raised"), dataIndex: "raised_at", render: (d: string) => <span className="sv-nowrap">{formatDateTime(d)}</span> },
              { title: t("esc.acknowledge"), key: "ack", render: (_, e) => <Acknowledge escalation={e} onDone={() => void queryClient.invalidateQueries({ queryKey: [MY, "supervision", "escalations"] })} /> },
            ]}
          />
        </Card>
      ) : null}

      <Card size="small" className="sv-section" title={<h2 className="card-title">{t("board.byUnit")}</h2>}>
        <Table<UnitLine>
          className="sv-table"
          size="small"
          rowKey="unit_code"
          loading={summary.isLoading}
          dataSource={units}
          pagination={false}
          scroll={{ x: true }}
          onRow={(line) => ({ className: line.unit_code === unit ? "sv-row-chosen" : undefined })}
          columns={[
            {
              title: t("col.unit"),
              dataIndex: "unit_code",
              render: (u: string) => (
                <Button type="link" className="sv-link-button" onClick={() => chooseUnit(u === unit ? undefined : u)} aria-pressed={u === unit}>
                  <UnitName code={u} />
                </Button>
              ),
            },
            { title: t("board.open"), dataIndex: "open", align: "right" },
            { title: <Light colour="red" />, dataIndex: "red", align: "right", render: (n: number) => (n > 0 ? <strong className="overdue-text">{n}</strong> : n) },
            { title: <Light colour="yellow" />, dataIndex: "yellow", align: "right" },
            { title: <Light colour="green" />, dataIndex: "green", align: "right" },
            { title: t("board.paused"), dataIndex: "paused", align: "right" },
          ]}
        />
      </Card>

      <Card size="small" className="sv-section" title={<h2 className="card-title">{t("board.cases", { count: board.data?.total ?? 0, plus: board.data?.total_exact === false ? "+" : "" })}</h2>}>
        <div className="staff-toolbar">
          <Select
            allowClear
            aria-label={t("board.unitFilter")}
            placeholder={t("board.allUnits")}
            value={unit}
            onChange={(v?: string) => chooseUnit(v)}
            options={units.map((u) => ({ value: u.unit_code, label: <UnitName code={u.unit_code} /> }))}
            className="sv-select"
          />
          <Segmented<Colour>
            aria-label={t("board.colourFilter")}
            value={colour}
            onChange={chooseColour}
            options={(["all", "red", "yellow", "green"] as const).map((c) => ({ value: c, label: t(`colour.${c}`) }))}
          />
        </div>
        <Table<BoardCase>
          size="small"
          rowKey="id"
          className="sv-table sv-cases"
          loading={board.isLoading}
          dataSource={shown}
          pagination={{
            current: page,
            pageSize: CASES_PER_PAGE,
            total: board.data?.total ?? 0,
            onChange: setPage,
            hideOnSinglePage: true,
            showSizeChanger: false,
          }}
          scroll={{ x: true }}
          locale={{ emptyText: t("board.empty") }}
          columns={[
            { title: t("col.light"), key: "light", render: (_, c) => <Light colour={c.colour} paused={c.paused} /> },
            { title: t("col.remaining"), key: "remaining", render: (_, c) => <RemainingDays days={c.remaining_working_days} /> },
            { title: t("col.no"), dataIndex: "application_no", render: (no: string, c) => <Link to={`/work/supervision/cases/${c.id}`}>{no}</Link> },
            { title: t("col.item"), dataIndex: "item_name" },
            { title: t("col.unit"), dataIndex: "owner_unit_code", render: (u: string) => <UnitName code={u} /> },
            { title: t("col.status"), dataIndex: "status", render: (s: BoardCase["status"]) => codeLabel(t, "status", s) },
            {
              title: t("col.due"),
              dataIndex: "due_on",
              render: (d: string | null, c) => (
                <>
                  {formatDate(d)}
                  {c.overdue_flagged ? <Tag color="error" className="sv-tag">{t("board.flagged")}</Tag> : null}
                </>
              ),
            },
          ]}
        />
      </Card>

      <Card size="small" className="sv-section" title={<h2 className="card-title">{t("esc.title")}</h2>}>
        <div className="staff-toolbar">
          <Segmented<Kind>
            aria-label={t("esc.kindFilter")}
            value={kind}
            onChange={setKind}
            options={(["all", "reminder", "unit_supervisor", "district_office"] as const).map((k) => ({ value: k, label: t(`kind.${k}`) }))}
          />
        </div>
        {escalations.isError ? <ErrorAlert error={escalations.error} /> : null}
        <Table<Escalation>
          size="small"
          rowKey="id"
          className="sv-table"
          loading={escalations.isLoading}
          dataSource={escalations.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          locale={{ emptyText: t("esc.empty") }}
          columns={[
            { title: t("esc.kind"), dataIndex: "kind", render: (k: Escalation["kind"], e) => <Tag color={k === "reminder" ? "warning" : "error"}>{t(`kind.${k}`)} {e.level > 1 ? `L${e.level}` : ""}</Tag> },
            { title: t("col.no"), dataIndex: "application_no", render: (no: string, e) => <Link to={`/work/supervision/cases/${e.application_id}`}>{no}</Link> },
            { title: t("col.item"), dataIndex: "item_name" },
            { title: t("col.unit"), dataIndex: "owner_unit_code", render: (u: string) => <UnitName code={u} /> },
            { title: t("col.due"), dataIndex: "due_on", render: (d: string) => formatDate(d) },
            { title: t("esc.raised"), dataIndex: "raised_at", render: (d: string) => formatDateTime(d) },
            {
              title: t("esc.recipients"),
              key: "to",
              render: (_, e) =>
                e.recipients.map((r) => (
                  <div key={r.staff_id}>
                    {r.name ?? r.staff_id} {r.acknowledged_at ? <Tag color="success">{t("esc.acked")}</Tag> : <Tag>{t("esc.notAcked")}</Tag>}
                  </div>
                )),
            },
          ]}
        />
      </Card>
    </div>
  );
}
