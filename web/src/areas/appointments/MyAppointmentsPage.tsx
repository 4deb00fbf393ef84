import { useState } from "react";
import { Link, useSearchParams } from "react-router";
import { Alert, Button, Empty, List, Modal, Input, Skeleton, Switch, Tag } from "antd";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { unwrap } from "../../api/errors";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { cancellable, slotTime, weekday, type Appointment } from "./slots";
import "./appointments.css";

function CancelButton({ appointment }: { appointment: Appointment }) {
  const { t } = useTranslation("appointments");
  const client = useQueryClient();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const cancel = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/api/intake/v1/appointments/{appointment_id}/cancel", {
          params: { path: { appointment_id: appointment.id } },
          body: reason.trim() ? { reason: reason.trim() } : {},
        }),
      ),
    onSuccess: () => {
      setOpen(false);
      void client.invalidateQueries({ queryKey: [MY, "appointments"] });
      void client.invalidateQueries({ queryKey: ["appointments", "slots"] });
    },
  });
  return (
    <>
      <Button danger onClick={() => setOpen(true)} aria-label={t("mine.cancelThis", { no: appointment.booking_no })}>
        {t("mine.cancel")}
      </Button>
      <Modal
        open={open}
        title={t("mine.cancelTitle")}
        okText={t("mine.cancelConfirm")}
        okButtonProps={{ danger: true, loading: cancel.isPending }}
        cancelText={t("mine.keep")}
        onOk={() => cancel.mutate()}
        onCancel={() => setOpen(false)}
      >
        <p>
          {t("mine.cancelText", {
            item: appointment.item_name,
            place: appointment.place_name,
            when: `${appointment.day} ${slotTime(appointment)}`,
          })}
        </p>
        <label htmlFor={`reason-${appointment.id}`} className="appt-label">
          {t("mine.reason")}
        </label>
        <Input.TextArea id={`reason-${appointment.id}`} rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
        {cancel.isError ? (
          <div className="error-text" role="alert">
            {errorText(cancel.error)}
          </div>
        ) : null}
      </Modal>
    </>
  );
}

function AppointmentCard({ a, highlight }: { a: Appointment; highlight: boolean }) {
  const { t } = useTranslation("appointments");
  return (
    <article className={`appt-card${highlight ? " appt-card-new" : ""}`} aria-labelledby={`appt-${a.id}`}>
      <div className="appt-card-head">
        <h2 id={`appt-${a.id}`} className="appt-card-title">
          {a.item_name}
        </h2>
        <Tag color={a.status === "booked" ? "green" : "default"}>{t(`status.${a.status}`)}</Tag>
      </div>
      <dl className="appt-facts">
        <dt>{t("mine.when")}</dt>
        <dd>
          <strong>
            {a.day} {t(`weekday.${weekday(a.day)}`)} {slotTime(a)}
          </strong>
        </dd>
        <dt>{t("mine.where")}</dt>
        <dd>
          {a.place_name}
          <div className="muted">{a.place_address}</div>
        </dd>
        <dt>{t("mine.number")}</dt>
        <dd>{a.booking_no}</dd>
        <dt>{t("mine.phone")}</dt>
        <dd>{a.phone}</dd>
        {a.cancelled_at ? (
          <>
            <dt>{t("mine.cancelledAt")}</dt>
            <dd>
              {formatDateTime(a.cancelled_at)}
              {a.cancel_reason ? <div className="muted">{a.cancel_reason}</div> : null}
            </dd>
          </>
        ) : null}
      </dl>
      {cancellable(a) ? <CancelButton appointment={a} /> : null}
    </article>
  );
}

function MyAppointments() {
  const { t } = useTranslation("appointments");
  const [params] = useSearchParams();
  const [all, setAll] = useState(false);
  useDocumentTitle(t("mine.title"));
  const list = useQuery({
    queryKey: [MY, "appointments", all],
    queryFn: () =>
      unwrap(api.GET("/api/intake/v1/appointments", { params: { query: { include_cancelled: all, upcoming_only: !all, limit: 100 } } })),
  });
  const booked = params.get("booked");
  const justBooked = list.data?.items.find((a) => a.id === booked);
  return (
    <div className="page appt-page">
      <div className="appt-head">
        <h1 tabIndex={-1}>{t("mine.title")}</h1>
        <Link to="/appointments/new" className="appt-new">
          {t("mine.new")}
        </Link>
      </div>
      <p className="muted-p">{t("mine.intro")}</p>
      {justBooked && justBooked.status === "booked" ? (
        <Alert
          type="success"
          showIcon
          role="status"
          className="form-alert"
          message={t("mine.booked", { no: justBooked.booking_no })}
          description={t("mine.bookedHint")}
        />
      ) : null}
      <div className="toolbar">
        <Switch id="appt-all" checked={all} onChange={setAll} />
        <label htmlFor="appt-all">{t("mine.showAll")}</label>
      </div>
      {list.isPending ? <Skeleton active /> : null}
      {list.isError ? <ErrorAlert error={list.error} onRetry={() => void list.refetch()} /> : null}
      {list.data && list.data.total === 0 ? (
        <Empty description={t("mine.none")}>
          <Link to="/appointments/new">{t("mine.new")}</Link>
        </Empty>
      ) : null}
      {list.data && list.data.total > 0 ? (
        <List
          className="appt-list"
          dataSource={list.data.items}
          rowKey="id"
          renderItem={(a) => (
            <List.Item>
              <AppointmentCard a={a} highlight={a.id === booked} />
            </List.Item>
          )}
        />
      ) : null}
    </div>
  );
}

export default function MyAppointmentsPage() {
  return (
    <RequireCitizen>
      <MyAppointments />
    </RequireCitizen>
  );
}
