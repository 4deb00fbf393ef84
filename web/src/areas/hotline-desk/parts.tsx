import { useEffect, useMemo, useState, type ReactNode } from "react";
import { Link } from "react-router";
import { Grid, Radio, Table, Tag } from "antd";
import type { ColumnsType } from "antd/es/table";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { useSession } from "../../auth/useSession";
import { Light } from "../../staff/Light";
import { formatDateTime } from "../../lib/format";
import { byDeadline, statusColour, ticketLight, timeLeft, timed, type Category, type Ticket, type TicketStatus } from "./model";

/** Now, refreshed every minute: lights and time left move on while a list stays open. */
export function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), 60_000);
    return () => window.clearInterval(id);
  }, []);
  return now;
}

/** The viewer's roles and unit code, from the session (convenience: the API decides). */
export function useViewer(): { roles: string[]; unit: string | undefined } {
  const { claims } = useSession();
  return { roles: claims?.roles ?? [], unit: claims?.org_unit_code };
}

/** A unit's name from its code (the code until it is known). */
export function UnitName({ code }: { code: string | null | undefined }) {
  const unit = useQuery({
    queryKey: ["org-unit", code],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units/{ref}", { params: { path: { ref: code ?? "" } } })),
    enabled: Boolean(code),
    staleTime: 60 * 60_000,
    retry: false,
  });
  if (!code) return <>—</>;
  return <>{unit.data?.name ?? code}</>;
}

export function useCategories() {
  return useQuery({
    queryKey: ["hotline", "categories"],
    queryFn: () => unwrap(api.GET("/api/hotline/v1/categories", { params: { query: { limit: 200 } } })),
    staleTime: 10 * 60_000,
  });
}

/** Category options grouped as the catalogue groups them. */
export function useCategoryOptions() {
  const categories = useCategories();
  const options = useMemo(() => {
    const groups = new Map<string, { label: string; value: string }[]>();
    for (const c of categories.data?.items ?? []) {
      const list = groups.get(c.group_name) ?? [];
      list.push({ label: c.name, value: c.code });
      groups.set(c.group_name, list);
    }
    return [...groups.entries()].map(([label, opts]) => ({ label, options: opts }));
  }, [categories.data]);
  const byCode = useMemo(() => new Map<string, Category>((categories.data?.items ?? []).map((c) => [c.code, c])), [categories.data]);
  return { categories, options, byCode };
}

/** Units a ticket may be dispatched to: the departments and the streets' service centres. */
export function useDispatchUnits() {
  const departments = useQuery({
    queryKey: ["org-units", "department"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind: "department", limit: 200 } } })),
    staleTime: 10 * 60_000,
  });
  const centres = useQuery({
    queryKey: ["org-units", "service_centre"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/org-units", { params: { query: { kind: "service_centre", limit: 200 } } })),
    staleTime: 10 * 60_000,
  });
  const { t } = useTranslation("hotline-desk");
  const options = [
    { label: t("units.centres"), options: (centres.data?.items ?? []).map((u) => ({ value: u.code, label: u.name })) },
    { label: t("units.departments"), options: (departments.data?.items ?? []).map((u) => ({ value: u.code, label: u.name })) },
  ];
  return { options, loading: departments.isPending || centres.isPending };
}

/** Tickets of these statuses (one request each, the API takes one status), nearest limit first. */
export function useTicketsByStatus(statuses: readonly TicketStatus[], key: string) {
  return useQuery({
    queryKey: [MY, "hotline-desk", "list", key, ...statuses],
    queryFn: async () => {
      const pages = await Promise.all(
        statuses.map((status) => unwrap(api.GET("/api/hotline/v1/tickets", { params: { query: { status, limit: 200 } } }))),
      );
      return {
        items: byDeadline(pages.flatMap((p) => p.items)),
        // More than one page of a status: the list says so instead of silently showing part.
        truncated: pages.some((p) => p.total > p.items.length),
      };
    },
    refetchInterval: 60_000,
  });
}

/** The light and the time left of a ticket. */
export function TicketLight({ ticket, now }: { ticket: Ticket; now: number }) {
  return <Light colour={ticketLight(ticket, now)} />;
}

export function TimeLeft({ due, now }: { due: string | null | undefined; now: number }) {
  const { t } = useTranslation("hotline-desk");
  const left = timeLeft(due, now);
  if (!left) return <span>{t("left.none")}</span>;
  const amount =
    left.days > 0
      ? t("left.daysHours", { days: left.days, hours: left.hours })
      : left.hours > 0
        ? t("left.hoursMinutes", { hours: left.hours, minutes: left.minutes })
        : t("left.minutes", { minutes: left.minutes });
  return left.past ? <span className="overdue-text">{t("left.over", { amount })}</span> : <span>{t("left.left", { amount })}</span>;
}

export function StatusTag({ status }: { status: TicketStatus }) {
  const { t } = useTranslation("hotline-desk");
  return <Tag color={statusColour(status)}>{t(`status.${status}`)}</Tag>;
}

export type Column = "light" | "number" | "title" | "type" | "category" | "place" | "status" | "due" | "unit" | "created" | "dispatch" | "replied";

/** A work list: dense rows, the ticket number opens the ticket; scrolls inside itself on a phone. */
export function TicketTable({
  tickets,
  now,
  columns,
  loading,
  extra,
}: {
  tickets: Ticket[];
  now: number;
  columns: Column[];
  loading?: boolean;
  extra?: ColumnsType<Ticket>;
}) {
  const { t } = useTranslation("hotline-desk");
  const { byCode } = useCategoryOptions();
  const all: Record<Column, ColumnsType<Ticket>[number]> = {
    light: { key: "light", title: t("col.light"), width: 84, render: (_, r) => (timed(r.status) ? <TicketLight ticket={r} now={now} /> : "—") },
    number: {
      key: "number",
      title: t("col.number"),
      width: 150,
      render: (_, r) => (
        <Link to={`/work/hotline/tickets/${encodeURIComponent(r.id)}`} className="desk-number">
          {r.number}
        </Link>
      ),
    },
    title: {
      key: "title",
      title: t("col.title"),
      render: (_, r) => (
        <span className="desk-title-cell">
          {r.urgent ? <Tag color="red">{t("ticket.urgent")}</Tag> : null}
          {r.title}
        </span>
      ),
    },
    type: { key: "type", title: t("col.type"), width: 64, render: (_, r) => t(`type.${r.request_type}`) },
    category: { key: "category", title: t("col.category"), width: 110, render: (_, r) => (r.category_code ? byCode.get(r.category_code)?.name ?? r.category_code : t("ticket.noCategory")) },
    place: { key: "place", title: t("col.place"), width: 130, render: (_, r) => <UnitName code={r.community_code ?? r.street_code} /> },
    status: { key: "status", title: t("col.status"), width: 90, render: (_, r) => <StatusTag status={r.status} /> },
    due: {
      key: "due",
      title: t("col.due"),
      width: 150,
      render: (_, r) => (
        <div className="desk-due">
          <div>{formatDateTime(r.due_at)}</div>
          <div className="muted">
            <TimeLeft due={r.due_at} now={now} />
          </div>
        </div>
      ),
    },
    unit: { key: "unit", title: t("col.unit"), width: 150, render: (_, r) => (r.lead_unit_code ? <UnitName code={r.lead_unit_code} /> : "—") },
    created: { key: "created", title: t("col.created"), width: 130, render: (_, r) => formatDateTime(r.created_at) },
    dispatch: {
      key: "dispatch",
      title: t("col.dispatch"),
      width: 170,
      render: (_, r) => {
        const d = r.dispatches[r.dispatches.length - 1];
        if (!d) return "—";
        return (
          <span>
            {t(`mode.${d.mode}`)}
            {r.coordination ? <Tag color="purple" className="desk-inline-tag">{t("ticket.coordination")}</Tag> : null}
            <div className="muted">{formatDateTime(d.dispatched_at)}</div>
          </span>
        );
      },
    },
    replied: { key: "replied", title: t("col.replied"), width: 130, render: (_, r) => formatDateTime(r.replied_at) },
  };
  const screens = Grid.useBreakpoint();
  const phone = screens.sm === undefined ? window.innerWidth < 576 : !screens.sm;
  if (phone) {
    // A phone: one card per ticket (number, status, light, time left, place), no sideways table.
    if (loading) return <Table<Ticket> loading dataSource={[]} columns={[]} />;
    if (tickets.length === 0) return <p className="muted desk-empty">{t("list.empty")}</p>;
    return (
      <ul className="desk-cards">
        {tickets.map((r) => (
          <li key={r.id} className="desk-card-item">
            <div className="desk-card-head">
              <Link to={`/work/hotline/tickets/${encodeURIComponent(r.id)}`} className="desk-number">
                {r.number}
              </Link>
              <StatusTag status={r.status} />
              {timed(r.status) ? <TicketLight ticket={r} now={now} /> : null}
            </div>
            <div className="desk-card-title">
              {r.urgent ? <Tag color="red">{t("ticket.urgent")}</Tag> : null}
              {r.title}
            </div>
            <div className="muted">
              {t(`type.${r.request_type}`)} · {r.category_code ? byCode.get(r.category_code)?.name ?? r.category_code : t("ticket.noCategory")} ·{" "}
              <UnitName code={r.lead_unit_code ?? r.community_code ?? r.street_code} />
            </div>
            {timed(r.status) ? (
              <div className="muted">
                {t("col.due")} {formatDateTime(r.due_at)}（<TimeLeft due={r.due_at} now={now} />）
              </div>
            ) : r.replied_at ? (
              <div className="muted">
                {t("col.replied")} {formatDateTime(r.replied_at)}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    );
  }
  return (
    <Table<Ticket>
      className="desk-table"
      size="small"
      rowKey="id"
      loading={loading}
      dataSource={tickets}
      columns={[...columns.map((c) => all[c]), ...(extra ?? [])]}
      pagination={tickets.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      scroll={{ x: true }}
      locale={{ emptyText: t("list.empty") }}
    />
  );
}

/** Counts by light, for the header of a work list. */
export function LightCounts({ tickets, now }: { tickets: Ticket[]; now: number }) {
  const { t } = useTranslation("hotline-desk");
  const counts = { red: 0, yellow: 0, green: 0 };
  for (const ticket of tickets) if (timed(ticket.status)) counts[ticketLight(ticket, now)]++;
  return (
    <span className="desk-counts" aria-label={t("list.countsLabel")}>
      <Tag className="desk-count desk-count-red">{t("list.red", { count: counts.red })}</Tag>
      <Tag className="desk-count desk-count-yellow">{t("list.yellow", { count: counts.yellow })}</Tag>
      <Tag className="desk-count desk-count-green">{t("list.green", { count: counts.green })}</Tag>
    </span>
  );
}

/**
 * The parts of a work list (待派单 / 派单结果 / 退单争议…) as a row of toggle buttons that wrap on a
 * phone: antd's Tabs put a "more" button inside the tablist when they do not fit (axe:
 * aria-required-children), and hide tabs a person then cannot see at a glance.
 */
export function ListParts({
  label,
  items,
  active,
  onChange,
}: {
  label: string;
  items: { key: string; label: ReactNode; children: ReactNode }[];
  active: string;
  onChange: (key: string) => void;
}) {
  const current = items.find((i) => i.key === active) ?? items[0];
  return (
    <>
      <Radio.Group
        aria-label={label}
        optionType="button"
        buttonStyle="solid"
        className="desk-parts"
        value={current?.key}
        onChange={(e) => onChange(String(e.target.value))}
        options={items.map((i) => ({ value: i.key, label: i.label }))}
      />
      <div className="desk-part">{current?.children}</div>
    </>
  );
}

/** A count after a part's name. */
export function PartCount({ count }: { count: number | undefined }) {
  return <span className="desk-part-count">{count ?? "…"}</span>;
}
