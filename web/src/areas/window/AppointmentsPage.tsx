import { useState } from "react";
import { Alert, Button, Input, Select, Table, Tag, Typography } from "antd";
import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { districtToday } from "./model";
import { placesFor } from "./places";
import { getMe, KEYS } from "./queries";
import "./window.css";

type Appointment = components["schemas"]["intake__AppointmentRead"];

/** 预约签到 at the window: the booking gets a priority queue number (优先叫号), shown in its row. */
function CheckIn({ appointment, today }: { appointment: Appointment; today: boolean }) {
  const { t } = useTranslation("window");
  const errorText = useErrorText();
  const [ticket, setTicket] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (appointment.status !== "booked" || !today) return <span className="muted">—</span>;
  if (ticket) return <Tag color="green">{t("appointments.ticket", { no: ticket })}</Tag>;
  const checkIn = async () => {
    setBusy(true);
    setError(null);
    try {
      const got = await unwrap(api.POST("/api/intake/v1/appointments/{appointment_id}/check-in", { params: { path: { appointment_id: appointment.id } } }));
      setTicket(got.ticket_no);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <span className="window-checkin">
      <Button size="small" type="primary" loading={busy} onClick={() => void checkIn()} aria-label={t("appointments.checkInFor", { no: appointment.booking_no })}>
        {t("appointments.checkIn")}
      </Button>
      {error ? <span className="error-text" role="alert">{error}</span> : null}
    </span>
  );
}

/** Today's (or another day's) bookings at the window's service place (预约), by time. */
export default function AppointmentsPage() {
  const { t } = useTranslation("window");
  useDocumentTitle(t("appointments.title"));
  const [day, setDay] = useState(districtToday());
  const [chosen, setChosen] = useState<string | null>(null);
  const me = useQuery({ queryKey: KEYS.me, queryFn: getMe, staleTime: 5 * 60_000 });
  const places = useQuery({ queryKey: ["window", "places"], queryFn: () => unwrap(api.GET("/api/intake/v1/places", { params: { query: { limit: 200 } } })) });
  const unit = me.data && "org_unit" in me.data.account ? me.data.account.org_unit.code : null;
  const mine = unit && places.data ? placesFor(places.data.items, unit) : [];
  const placeId = chosen ?? mine[0]?.id ?? null;
  const bookings = useQuery({
    queryKey: [MY, "window", "appointments", placeId, day],
    queryFn: () => unwrap(api.GET("/api/intake/v1/places/{place_id}/appointments", { params: { path: { place_id: placeId ?? "" }, query: { day, limit: 200, include_cancelled: true } } })),
    enabled: Boolean(placeId),
  });
  const rows = [...(bookings.data?.items ?? [])].sort((a, b) => a.starts_at.localeCompare(b.starts_at));
  const error = me.error ?? places.error ?? bookings.error;

  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {t("appointments.title")}
      </Typography.Title>
      <div className="staff-toolbar">
        <label className="window-inline-label">
          {t("appointments.place")}
          <Select
            className="window-place"
            value={placeId ?? undefined}
            onChange={setChosen}
            loading={places.isPending}
            options={(mine.length ? mine : places.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
            aria-label={t("appointments.place")}
          />
        </label>
        <label className="window-inline-label">
          {t("appointments.day")}
          <Input type="date" value={day} onChange={(e) => e.target.value && setDay(e.target.value)} className="window-day" />
        </label>
      </div>
      {error ? <ErrorAlert error={error} /> : null}
      {places.data && unit && mine.length === 0 ? <Alert type="info" showIcon message={t("appointments.noPlace")} className="window-gap" /> : null}
      <Table<Appointment>
        rowKey="id"
        size="middle"
        loading={bookings.isFetching}
        dataSource={rows}
        scroll={{ x: true }}
        pagination={false}
        locale={{ emptyText: <span className="window-empty">{t("appointments.empty")}</span> }}
        columns={[
          { title: t("appointments.col.time"), key: "time", width: 130, render: (_, a) => `${formatDateTime(a.starts_at).slice(11)}–${formatDateTime(a.ends_at).slice(11)}` },
          { title: t("appointments.col.no"), dataIndex: "booking_no", key: "no" },
          { title: t("appointments.col.item"), dataIndex: "item_name", key: "item", className: "window-col-item" },
          { title: t("appointments.col.person"), key: "person", render: (_, a) => a.person_name ?? "—" },
          { title: t("appointments.col.phone"), dataIndex: "phone", key: "phone" },
          { title: t("appointments.col.channel"), key: "channel", render: (_, a) => t(`appointments.channel.${a.channel}`) },
          {
            title: t("appointments.col.checkIn"),
            key: "checkIn",
            render: (_, a) => <CheckIn appointment={a} today={day === districtToday()} />,
          },
          {
            title: t("appointments.col.status"),
            key: "status",
            render: (_, a) => <Tag color={a.status === "booked" ? "blue" : "default"}>{t(`appointments.status.${a.status}`)}</Tag>,
          },
        ]}
      />
    </div>
  );
}
