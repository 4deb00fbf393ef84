import { useState } from "react";
import { Link } from "react-router";
import { Alert, Button, Form, Input, Skeleton } from "antd";
import { CalendarOutlined, HomeOutlined, PrinterOutlined } from "@ant-design/icons";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { formatDateTime } from "../../lib/format";
import { getDisplay, listHalls } from "../hall/queries";
import type { Ticket } from "../hall/model";
import { storedKioskConfig } from "./kiosk";
import { normaliseBookingNo } from "./links";

/** The hall this kiosk stands in: `?place=` kept for the tab, else the first place with a queue. */
function useKioskHall() {
  const [configured] = useState(() => storedKioskConfig()?.placeId ?? null);
  const first = useQuery({
    queryKey: ["kiosk", "first-hall"],
    queryFn: async () => (await listHalls())[0]?.id ?? null,
    enabled: configured === null,
    staleTime: 10 * 60_000,
  });
  const placeId = configured ?? first.data ?? null;
  const display = useQuery({
    queryKey: ["kiosk", "hall", placeId],
    queryFn: () => getDisplay(placeId ?? "", 1),
    enabled: placeId !== null,
    staleTime: 0,
    refetchInterval: 20_000,
  });
  return { placeId, first, display };
}

/** The number taken, big, with what the person needs to know, and a ticket-sized print. */
function TicketShown({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation("kiosk");
  return (
    <section className="kiosk-ticket" aria-labelledby="kiosk-ticket-title">
      <h1 id="kiosk-ticket-title" tabIndex={-1} className="no-print">
        {ticket.priority ? t("queue.checkedIn") : t("queue.taken")}
      </h1>
      <div className="kiosk-slip" role="group" aria-label={t("queue.slip")}>
        <p className="kiosk-slip-place">{ticket.place_name}</p>
        <p className="kiosk-slip-label">{t("queue.yourNumber")}</p>
        <p className="kiosk-slip-no">{ticket.ticket_no}</p>
        <p className="kiosk-slip-category">
          {ticket.item_name ? `${ticket.category_name} · ${ticket.item_name}` : ticket.category_name}
          {ticket.priority ? <span className="kiosk-slip-priority">{t("queue.priority")}</span> : null}
        </p>
        <dl className="kiosk-slip-facts">
          <div>
            <dt>{t("queue.ahead")}</dt>
            <dd>{ticket.waiting_ahead === null ? "—" : t("queue.people", { count: ticket.waiting_ahead })}</dd>
          </div>
          <div>
            <dt>{t("queue.expected")}</dt>
            <dd>
              {ticket.expected_wait_minutes === null
                ? t("queue.noWindow")
                : ticket.expected_wait_minutes === 0
                  ? t("queue.soon")
                  : t("queue.minutes", { count: ticket.expected_wait_minutes })}
            </dd>
          </div>
          <div>
            <dt>{t("queue.limit")}</dt>
            <dd>{t("queue.limitMinutes", { count: ticket.wait_limit_minutes })}</dd>
          </div>
          <div>
            <dt>{t("queue.takenAt")}</dt>
            <dd>{formatDateTime(ticket.taken_at)}</dd>
          </div>
        </dl>
        <p className="kiosk-slip-note">{t("queue.note", { minutes: ticket.wait_limit_minutes })}</p>
      </div>
      <div className="kiosk-ticket-actions no-print">
        <Button type="primary" size="large" className="kiosk-button" icon={<PrinterOutlined aria-hidden />} onClick={() => window.print()}>
          {t("queue.print")}
        </Button>
        <Link to="/kiosk" className="kiosk-link-button">
          <HomeOutlined aria-hidden /> {t("queue.done")}
        </Link>
      </div>
    </section>
  );
}

/** 取号: choose the business (big buttons per category, with who waits and how long) → the ticket. */
export default function KioskQueue() {
  const { t } = useTranslation("kiosk");
  const errorText = useErrorText();
  useDocumentTitle(t("queue.title"));
  const { placeId, first, display } = useKioskHall();
  const take = useMutation({
    mutationFn: (category: string) =>
      unwrap(api.POST("/api/intake/v1/places/{place_id}/queue/tickets", { params: { path: { place_id: placeId ?? "" } }, body: { category_code: category } })),
  });

  if (take.data) return <TicketShown ticket={take.data} />;
  const hall = display.data;
  const noHall = configuredNone(first.data, placeId);
  return (
    <div className="kiosk-page kiosk-queue">
      <h1 tabIndex={-1}>{t("queue.title")}</h1>
      {hall ? <p className="kiosk-lead">{t("queue.intro", { place: hall.place_name, minutes: hall.wait_limit_minutes })}</p> : null}
      {noHall ? <Alert type="warning" showIcon message={t("queue.noHall")} className="kiosk-alert" /> : null}
      {first.isError ? <ErrorAlert error={first.error} onRetry={() => void first.refetch()} /> : null}
      {display.isError ? <ErrorAlert error={display.error} onRetry={() => void display.refetch()} /> : null}
      {(first.isPending && placeId === null && !noHall) || (display.isPending && placeId !== null) ? <Skeleton active paragraph={{ rows: 4 }} /> : null}
      {take.isError ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="kiosk-alert"
          message={take.error instanceof ApiError && take.error.status === 429 ? t("queue.tooFast") : errorText(take.error)}
        />
      ) : null}
      {hall ? (
        <>
          <h2>{t("queue.choose")}</h2>
          <ul className="kiosk-categories">
            {hall.categories.map((c) => (
              <li key={c.code}>
                <button type="button" className="kiosk-category" disabled={take.isPending} onClick={() => take.mutate(c.code)}>
                  <span className="kiosk-category-letter" aria-hidden>
                    {c.code}
                  </span>
                  <span className="kiosk-category-name">{c.name}</span>
                  <span className="kiosk-category-hint">
                    {t("queue.waitingNow", { count: c.waiting })}
                    {" · "}
                    {c.expected_wait_minutes === null ? t("queue.noWindow") : t("queue.aboutMinutes", { count: c.expected_wait_minutes })}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/kiosk/queue/check-in" className="kiosk-link-button">
              <CalendarOutlined aria-hidden /> {t("queue.toCheckIn")}
            </Link>
          </p>
        </>
      ) : null}
    </div>
  );
}

function configuredNone(first: string | null | undefined, placeId: string | null): boolean {
  return placeId === null && first === null;
}

interface CheckInValues {
  booking_no: string;
  phone: string;
}

/** 预约签到: the booking number and the mobile it was booked with give a priority number. */
export function KioskCheckIn() {
  const { t } = useTranslation("kiosk");
  const [form] = Form.useForm<CheckInValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const errorText = useErrorText();
  useDocumentTitle(t("queue.checkInTitle"));
  const { placeId, first, display } = useKioskHall();
  const checkIn = useMutation({
    mutationFn: (values: CheckInValues) =>
      unwrap(
        api.POST("/api/intake/v1/places/{place_id}/queue/check-ins", {
          params: { path: { place_id: placeId ?? "" } },
          body: { booking_no: normaliseBookingNo(values.booking_no), phone: values.phone.trim() },
        }),
      ),
    onSuccess: () => setGeneral([]),
    onError: (error) => {
      if (error instanceof ApiError && error.problem && error.status === 422) setGeneral(applyProblemToForm(form, error.problem, ["booking_no", "phone"]));
      else setGeneral([error instanceof ApiError && error.status === 429 ? t("queue.tooFast") : errorText(error)]);
    },
  });
  if (checkIn.data) return <TicketShown ticket={checkIn.data} />;
  const noHall = configuredNone(first.data, placeId);
  return (
    <div className="kiosk-page kiosk-queue">
      <h1 tabIndex={-1}>{t("queue.checkInTitle")}</h1>
      <p className="kiosk-lead">{display.data ? t("queue.checkInIntro", { place: display.data.place_name }) : t("queue.checkInIntroShort")}</p>
      {noHall ? <Alert type="warning" showIcon message={t("queue.noHall")} className="kiosk-alert" /> : null}
      <Form<CheckInValues> form={form} layout="vertical" className="kiosk-code-form" onFinish={(v) => checkIn.mutate(v)} requiredMark={false}>
        <Form.Item
          name="booking_no"
          label={<span className="kiosk-label">{t("queue.bookingNo")}</span>}
          extra={<span className="kiosk-hint">{t("queue.bookingNoHint")}</span>}
          rules={[{ required: true, whitespace: true, message: t("queue.bookingNoRequired") }]}
        >
          <Input size="large" maxLength={30} autoComplete="off" autoCapitalize="characters" spellCheck={false} />
        </Form.Item>
        <Form.Item
          name="phone"
          label={<span className="kiosk-label">{t("queue.phone")}</span>}
          rules={[
            { required: true, message: t("queue.phoneRequired") },
            { pattern: /^1\d{10}$/, message: t("queue.phoneFormat") },
          ]}
        >
          <Input size="large" inputMode="numeric" maxLength={11} autoComplete="off" />
        </Form.Item>
        <ProblemAlert messages={general} title={t("queue.problems")} />
        <Button type="primary" htmlType="submit" size="large" className="kiosk-button kiosk-submit" loading={checkIn.isPending} disabled={placeId === null}>
          {t("queue.checkIn")}
        </Button>
      </Form>
      <p>
        <Link to="/kiosk/queue" className="kiosk-link-button">
          {t("queue.backToTake")}
        </Link>
      </p>
    </div>
  );
}
