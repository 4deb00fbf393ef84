import { useState, type ReactNode } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { Alert, Breadcrumb, Button, Card, Descriptions, Empty, Skeleton, Table, Tag, Timeline, Typography } from "antd";
import { PrinterOutlined } from "@ant-design/icons";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { ErrorAlert } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { deskActions, lastCallBack, timed, type DeskAction, type HistoryEntry, type Ticket } from "./model";
import { ActionDialog } from "./ActionDialog";
import { Escalations } from "./Escalations";
import { StatusTag, TicketLight, TimeLeft, UnitName, useCategoryOptions, useNow, useViewer } from "./parts";
import "./desk.css";

/** Where each role's work list is: the breadcrumb leads back to it. */
function homeFor(roles: string[]): { path: string; label: string } {
  if (roles.includes("handler")) return { path: "/work/hotline/tickets", label: "menu.tickets" };
  if (roles.includes("dispatcher")) return { path: "/work/hotline/dispatch", label: "menu.dispatch" };
  if (roles.includes("hotline_agent") || roles.includes("supervisor")) return { path: "/work/hotline/callbacks", label: "menu.callbacks" };
  return { path: "/work", label: "menu.home" };
}

/** The details an action recorded, in words (unit of a dispatch, satisfaction of a call-back…). */
function HistoryDetails({ entry }: { entry: HistoryEntry }) {
  const { t } = useTranslation("hotline-desk");
  const d = entry.data as Record<string, unknown>;
  const parts: ReactNode[] = [];
  // An extension's `unit` is the unit of time (工作日…), not an organisation.
  if (entry.action === "extend" && typeof d.amount === "number" && typeof d.unit === "string")
    parts.push(<span key="ext">{t("history.extendedBy", { amount: d.amount, unit: t(`limitUnit.${d.unit}`, { defaultValue: d.unit }) })}</span>);
  else if (typeof d.unit === "string") parts.push(<span key="unit">{t("history.unit")}<UnitName code={d.unit} /></span>);
  if (Array.isArray(d.co) && d.co.length > 0)
    parts.push(
      <span key="co">
        {t("history.co")}
        {(d.co as string[]).map((c, i) => (
          <span key={c}>
            {i > 0 ? "、" : null}
            <UnitName code={c} />
          </span>
        ))}
      </span>,
    );
  if (typeof d.mode === "string") parts.push(<span key="mode">{t(`mode.${d.mode}`, { defaultValue: d.mode })}</span>);
  if (typeof d.suggested_unit_code === "string") parts.push(<span key="sug">{t("history.suggested")}<UnitName code={d.suggested_unit_code} /></span>);
  if (typeof d.resolved === "boolean") parts.push(<span key="res">{d.resolved ? t("actions.resolvedYes") : t("actions.resolvedNo")}</span>);
  if (typeof d.satisfaction === "string") parts.push(<span key="sat">{t(`satisfaction.${d.satisfaction}`, { defaultValue: d.satisfaction })}</span>);
  if (typeof d.reason === "string" && entry.action === "divert") parts.push(<span key="div">{t(`diversion.${d.reason}`, { defaultValue: d.reason })}</span>);
  if (typeof d.new_due_at === "string") parts.push(<span key="due">{t("history.newDue", { due: formatDateTime(d.new_due_at) })}</span>);
  if (entry.action === "absorb" && typeof d.duplicate === "string")
    parts.push(<Link key="dup" to={`/work/hotline/tickets/${encodeURIComponent(d.duplicate)}`}>{t("history.duplicate")}</Link>);
  if (typeof d.channel === "string") parts.push(<span key="ch">{t(`channel.${d.channel}`, { defaultValue: d.channel })}</span>);
  if (parts.length === 0) return null;
  return (
    <div className="desk-history-data">
      {parts.map((p, i) => (
        <span key={i}>
          {i > 0 ? " · " : null}
          {p}
        </span>
      ))}
    </div>
  );
}

/** The knowledge-base entry an enquiry was answered with: what the caller was told. */
function KbAnswer({ id }: { id: string }) {
  const { t } = useTranslation("hotline-desk");
  const entry = useQuery({
    queryKey: ["hotline-desk", "kb-entry", id],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/kb/entries/{entry_id}", { params: { path: { entry_id: id } } })),
    staleTime: 10 * 60_000,
  });
  const version = entry.data?.published ?? entry.data?.latest;
  if (entry.isError) return <ErrorAlert error={entry.error} />;
  if (!version) return <Skeleton active paragraph={{ rows: 2 }} />;
  return (
    <div className="desk-kb-answer">
      <div className="muted">{t("ticket.kbEntry")}</div>
      <div className="desk-hit-q">{version.question}</div>
      <p className="prewrap">{version.answer}</p>
    </div>
  );
}

/** One ticket for agents, dispatchers and handlers: facts, the actions the viewer's role may take, its history. */
export default function TicketDeskPage() {
  const { id = "" } = useParams();
  const [params] = useSearchParams();
  const { t } = useTranslation("hotline-desk");
  const client = useQueryClient();
  const now = useNow();
  const { roles, unit } = useViewer();
  const { byCode } = useCategoryOptions();
  const [action, setAction] = useState<DeskAction | null>(null);
  // Which ticket the action was done on: following a link to another ticket (the primary of a
  // merge) keeps this page mounted, and the message must not follow.
  const [doneOn, setDoneOn] = useState<{ id: string; action: DeskAction } | null>(null);
  const done = doneOn?.id === id ? doneOn.action : null;
  const ticket = useQuery({
    queryKey: [MY, "hotline-desk", "ticket", id],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/tickets/{ticket_id}", { params: { path: { ticket_id: id } } })),
  });
  const history = useQuery({
    queryKey: [MY, "hotline-desk", "ticket", id, "history"],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/tickets/{ticket_id}/history", { params: { path: { ticket_id: id }, query: { limit: 200 } } })),
  });
  const data = ticket.data;
  useDocumentTitle(data ? `${data.number} ${data.title}` : t("ticket.title"));
  const home = homeFor(roles);
  const notFound = ticket.error instanceof ApiError && ticket.error.status === 404;
  const actions = data ? deskActions(data, roles, unit, now, lastCallBack(history.data?.items)) : [];
  const lastReturn = [...(history.data?.items ?? [])].reverse().find((h) => h.action === "return");
  const suggested = data?.status === "returned" && typeof lastReturn?.data.suggested_unit_code === "string" ? lastReturn.data.suggested_unit_code : undefined;

  const onDone = (updated: Ticket) => {
    client.setQueryData([MY, "hotline-desk", "ticket", id], updated);
    void client.invalidateQueries({ queryKey: [MY, "hotline-desk"] });
    setDoneOn(action ? { id, action } : null);
    setAction(null);
  };

  return (
    <div className="staff-page desk-page desk-ticket">
      <Breadcrumb className="no-print" items={[{ title: <Link to={home.path}>{t(home.label)}</Link> }, { title: data?.number ?? t("ticket.title") }]} />
      <Typography.Title level={1} className="staff-title desk-ticket-title">
        {data ? (
          <>
            <span className="desk-ticket-number">{data.number}</span> {data.title}
          </>
        ) : (
          t("ticket.title")
        )}
      </Typography.Title>
      {ticket.isPending ? <Skeleton active paragraph={{ rows: 8 }} /> : null}
      {notFound ? <Empty description={t("ticket.notFound")} /> : null}
      {ticket.isError && !notFound ? <ErrorAlert error={ticket.error} onRetry={() => void ticket.refetch()} /> : null}
      {data ? (
        <>
          {params.get("new") && !done ? (
            <Alert
              type="success"
              showIcon
              role="status"
              className="desk-alert"
              message={t(data.status === "closed" || data.status === "merged" ? "ticket.registeredSettled" : "ticket.registered", { number: data.number })}
              description={data.lead_unit_code ? t("ticket.registeredDispatched") : undefined}
            />
          ) : null}
          {done ? <Alert type="success" showIcon role="status" className="desk-alert" message={t(`actions.${done}Done`)} /> : null}
          <div className="desk-summary">
            <StatusTag status={data.status} />
            {timed(data.status) ? (
              <>
                <TicketLight ticket={data} now={now} />
                <span>
                  {t("ticket.due")} {formatDateTime(data.due_at)}（<TimeLeft due={data.due_at} now={now} />）
                </span>
              </>
            ) : null}
            {data.urgent ? <Tag color="red">{t("ticket.urgent")}</Tag> : null}
            {data.complex ? <Tag>{t("call.complex")}</Tag> : null}
            {data.coordination ? <Tag color="purple">{t("ticket.coordination")}</Tag> : null}
            {data.reopen_count > 0 ? <Tag color="orange">{t("ticket.reopened", { count: data.reopen_count })}</Tag> : null}
          </div>
          <section className="desk-actions no-print" aria-labelledby="hd-actions">
            <h2 id="hd-actions" className="desk-section-title">
              {t("ticket.actions")}
            </h2>
            <div className="staff-toolbar">
              {actions.map((a, i) => (
                <Button key={a} type={i === 0 ? "primary" : "default"} danger={a === "divert"} onClick={() => { setDoneOn(null); setAction(a); }}>
                  {t(`actions.${a}`)}
                </Button>
              ))}
              <Button icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
                {t("ticket.print")}
              </Button>
            </div>
            {actions.length === 0 ? <p className="muted">{t("ticket.noActions")}</p> : null}
          </section>
          {data.reply ? (
            <Card size="small" className="desk-card" title={<h2 className="desk-card-title">{t("ticket.reply")}</h2>}>
              <p className="prewrap">{data.reply}</p>
              <div className="muted">{formatDateTime(data.replied_at)}</div>
            </Card>
          ) : null}
          {data.close_note || data.close_reason ? (
            <Card size="small" className="desk-card" title={<h2 className="desk-card-title">{t("ticket.closed")}</h2>}>
              <p>
                {data.close_reason ? t(`closeReason.${data.close_reason}`) : null}
                {data.diversion_reason ? `（${t(`diversion.${data.diversion_reason}`)}）` : null}
                {data.merged_into_id ? (
                  <>
                    {" "}
                    <Link to={`/work/hotline/tickets/${encodeURIComponent(data.merged_into_id)}`}>{data.merged_into_number}</Link>
                  </>
                ) : null}
              </p>
              {data.close_note ? <p className="prewrap">{data.close_note}</p> : null}
              {data.kb_entry_id ? <KbAnswer id={data.kb_entry_id} /> : null}
            </Card>
          ) : null}
          <section aria-labelledby="hd-facts" className="desk-section">
            <h2 id="hd-facts" className="desk-section-title">
              {t("ticket.facts")}
            </h2>
            <Descriptions bordered size="small" column={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
              <Descriptions.Item label={t("col.type")}>{t(`type.${data.request_type}`)}</Descriptions.Item>
              <Descriptions.Item label={t("col.category")}>{data.category_code ? byCode.get(data.category_code)?.name ?? data.category_code : t("ticket.noCategory")}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.channel")}>{t(`channel.${data.channel}`)}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.caller")}>
                {data.anonymous ? t("ticket.anonymous") : `${data.caller_name ?? "—"} ${data.caller_phone ?? ""}`}
              </Descriptions.Item>
              <Descriptions.Item label={t("col.created")}>{formatDateTime(data.created_at)}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.responseDue")}>
                {data.responded_at ? t("ticket.respondedAt", { at: formatDateTime(data.responded_at) }) : formatDateTime(data.response_due_at)}
              </Descriptions.Item>
              <Descriptions.Item label={t("col.place")}>
                <UnitName code={data.community_code ?? data.street_code} />
                {data.address ? ` ${data.address}` : null}
              </Descriptions.Item>
              <Descriptions.Item label={t("col.unit")}>
                {data.lead_unit_code ? <UnitName code={data.lead_unit_code} /> : t("ticket.notDispatched")}
                {data.co_unit_codes.length > 0 ? (
                  <div className="muted">
                    {t("history.co")}
                    {data.co_unit_codes.map((c, i) => (
                      <span key={c}>
                        {i > 0 ? "、" : null}
                        <UnitName code={c} />
                      </span>
                    ))}
                  </div>
                ) : null}
              </Descriptions.Item>
              <Descriptions.Item label={t("ticket.firstUnit")}>{data.first_unit_code ? <UnitName code={data.first_unit_code} /> : "—"}</Descriptions.Item>
              <Descriptions.Item label={t("ticket.description")} span={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
                <span className="prewrap">{data.description}</span>
              </Descriptions.Item>
              {Object.keys(data.attributes).length > 0 ? (
                <Descriptions.Item label={t("ticket.attributes")} span={{ xs: 1, sm: 1, md: 2, lg: 3 }}>
                  {Object.entries(data.attributes).map(([k, v]) => {
                    const attr = data.category_code ? byCode.get(data.category_code)?.attributes.find((a) => a.code === k) : undefined;
                    const shown = attr?.values.find((x) => x.key === v)?.name ?? String(v);
                    return (
                      <div key={k}>
                        {attr?.description ?? k}：{shown}
                      </div>
                    );
                  })}
                </Descriptions.Item>
              ) : null}
            </Descriptions>
          </section>
          {data.contacts.length > 1 ? (
            <section aria-labelledby="hd-contacts" className="desk-section">
              <h2 id="hd-contacts" className="desk-section-title">
                {t("ticket.contacts")}
              </h2>
              <ul className="desk-list">
                {data.contacts.map((c, i) => (
                  <li key={`${c.source_ticket_id}-${i}`}>
                    {c.name ?? "—"} {c.phone ?? ""}
                    {c.source_ticket_id !== data.id ? <span className="muted">（{t("ticket.fromDuplicate")}）</span> : null}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {data.dispatches.length > 0 ? (
            <section aria-labelledby="hd-dispatches" className="desk-section">
              <h2 id="hd-dispatches" className="desk-section-title">
                {t("ticket.dispatches")}
              </h2>
              <Table
                size="small"
                rowKey={(r) => `${r.unit_code}-${r.dispatched_at}`}
                pagination={false}
                scroll={{ x: 760 }}
                dataSource={data.dispatches}
                columns={[
                  { key: "unit", title: t("col.unit"), render: (_, r) => <UnitName code={r.unit_code} /> },
                  { key: "role", title: t("ticket.role"), render: (_, r) => t(`role.${r.role}`) },
                  { key: "mode", title: t("ticket.mode"), render: (_, r) => t(`mode.${r.mode}`) },
                  { key: "at", title: t("ticket.dispatchedAt"), render: (_, r) => formatDateTime(r.dispatched_at) },
                  { key: "dispute", title: t("ticket.disputeUntil"), render: (_, r) => formatDateTime(r.dispute_deadline) },
                  { key: "returned", title: t("ticket.returned"), render: (_, r) => (r.returned_at ? `${formatDateTime(r.returned_at)} ${r.return_reason ?? ""}` : "—") },
                ]}
              />
            </section>
          ) : null}
          <Escalations ticketId={data.id} />
          <section aria-labelledby="hd-history" className="desk-section">
            <h2 id="hd-history" className="desk-section-title">
              {t("ticket.history")}
            </h2>
            {history.isPending ? <Skeleton active /> : null}
            {history.isError ? <ErrorAlert error={history.error} onRetry={() => void history.refetch()} /> : null}
            {history.data ? (
              <Timeline
                className="desk-timeline"
                items={history.data.items.map((h, i) => ({
                  key: `${h.action}-${i}`,
                  color: h.action === "overdue" || h.action === "escalate" ? "red" : h.action === "return" || h.action === "remind" ? "orange" : "blue",
                  children: (
                    <div>
                      <strong>{t(`action.${h.action}`)}</strong>{" "}
                      <span className="muted">
                        <time dateTime={h.at}>{formatDateTime(h.at)}</time>
                        {h.actor_unit ? (
                          <>
                            {" · "}
                            <UnitName code={h.actor_unit} />
                          </>
                        ) : h.actor === "system" ? (
                          ` · ${t("history.system")}`
                        ) : null}
                      </span>
                      <HistoryDetails entry={h} />
                      {h.note ? <div className="prewrap desk-history-note">{h.note}</div> : null}
                    </div>
                  ),
                }))}
              />
            ) : null}
          </section>
        </>
      ) : null}
      {data && action ? <ActionDialog ticket={data} action={action} suggestedUnit={suggested} onClose={() => setAction(null)} onDone={onDone} /> : null}
    </div>
  );
}
