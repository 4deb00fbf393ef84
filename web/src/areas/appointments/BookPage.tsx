import { useState } from "react";
import { Link, useNavigate } from "react-router";
import { Breadcrumb, Button, Empty, Form, Grid, Input, Radio, Select, Skeleton, Tag } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { RequireCitizen } from "../../components/RequireCitizen";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { groupByDay, itemsOf, slotTime, weekday } from "./slots";
import { chosen } from "./rules";
import "./appointments.css";
import { ProblemAlert } from "../../components/ProblemAlert";

interface BookValues {
  place_id?: string;
  item_code?: string;
  day?: string;
  slot_id?: string;
  phone?: string;
  person_name?: string;
}

const DAYS_AHEAD = 14;

function Book() {
  const { t } = useTranslation("appointments");
  const [form] = Form.useForm<BookValues>();
  const navigate = useNavigate();
  const client = useQueryClient();
  const errorText = useErrorText();
  const phone = !Grid.useBreakpoint().md;
  const [messages, setMessages] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const placeId = Form.useWatch("place_id", form);
  const itemCode = Form.useWatch("item_code", form);
  const day = Form.useWatch("day", form);
  useDocumentTitle(t("book.title"));

  const places = useQuery({
    queryKey: ["appointments", "places"],
    queryFn: () => unwrap(api.GET("/api/intake/v1/places", { params: { query: { limit: 200 } } })),
    staleTime: 10 * 60_000,
  });
  const open = useQuery({
    queryKey: ["appointments", "slots", placeId ?? null],
    queryFn: () =>
      unwrap(
        api.GET("/api/intake/v1/places/{place_id}/slots", {
          params: { path: { place_id: placeId ?? "" }, query: { available_only: true, limit: 200 } },
        }),
      ),
    enabled: Boolean(placeId),
  });
  const slots = useQuery({
    queryKey: ["appointments", "slots", placeId ?? null, itemCode ?? null],
    queryFn: () => {
      const from = new Date();
      const to = new Date(from.getTime() + DAYS_AHEAD * 86_400_000);
      const local = (d: Date) => d.toLocaleDateString("en-CA", { timeZone: "Asia/Shanghai" });
      return unwrap(
        api.GET("/api/intake/v1/places/{place_id}/slots", {
          params: {
            path: { place_id: placeId ?? "" },
            query: { item_code: itemCode ?? "", from: local(from), to: local(to), limit: 200 },
          },
        }),
      );
    },
    enabled: Boolean(placeId && itemCode),
  });
  const me = useQuery({
    queryKey: [MY, "me"],
    queryFn: () => unwrap(api.GET("/api/identity/v1/me")),
    staleTime: 5 * 60_000,
  });
  const account = me.data?.account;

  const items = itemsOf(open.data?.items ?? []);
  const days = groupByDay(slots.data?.items ?? []);
  const chosenDay = days.find((d) => d.day === day);
  const place = places.data?.items.find((p) => p.id === placeId);

  const onFinish = async (values: BookValues) => {
    if (!values.slot_id) return;
    setSending(true);
    setMessages([]);
    try {
      const booked = await unwrap(
        api.POST("/api/intake/v1/appointments", {
          body: {
            slot_id: values.slot_id,
            phone: (values.phone ?? "").trim(),
            ...(values.person_name?.trim() ? { person_name: values.person_name.trim() } : {}),
          },
        }),
      );
      void client.invalidateQueries({ queryKey: [MY, "appointments"] });
      void client.invalidateQueries({ queryKey: ["appointments", "slots"] });
      navigate(`/appointments?booked=${encodeURIComponent(booked.id)}`);
    } catch (error) {
      if (error instanceof ApiError && error.problem && error.status !== 429) {
        setMessages(applyProblemToForm(form, error.problem, ["slot_id", "phone", "person_name"]));
      } else {
        setMessages([errorText(error)]);
      }
      void slots.refetch();
      setSending(false);
    }
  };

  return (
    <div className="page appt-page">
      <Breadcrumb items={[{ title: <Link to="/appointments">{t("mine.title")}</Link> }, { title: t("book.title") }]} />
      <h1 tabIndex={-1}>{t("book.title")}</h1>
      <p className="muted-p">{t("book.intro")}</p>
      <ProblemAlert messages={messages} title={t("book.failed")} />
      <Form<BookValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={sending}
        onFinish={(v) => void onFinish(v)}
        className="appt-form"
        key={account ? "with-me" : "without-me"}
        onValuesChange={(changed: BookValues) => {
          // A field changed after the platform refused it: its old message goes.
          form.setFields(Object.keys(changed).map((name) => ({ name: name as keyof BookValues, errors: [] })));
          if ("place_id" in changed) form.setFieldsValue({ item_code: undefined, day: undefined, slot_id: undefined });
          if ("item_code" in changed) form.setFieldsValue({ day: undefined, slot_id: undefined });
          if ("day" in changed) form.setFieldsValue({ slot_id: undefined });
        }}
      >
        <fieldset className="appt-step">
          <legend>{t("book.step1")}</legend>
          {places.isPending ? <Skeleton active /> : null}
          {places.isError ? <ErrorAlert error={places.error} onRetry={() => void places.refetch()} /> : null}
          <Form.Item name="place_id" label={<span id="appt-place">{t("book.place")}</span>} rules={[chosen(t("book.placeRequired"))]}>
            <Radio.Group className="appt-places" aria-labelledby="appt-place">
              {(places.data?.items ?? []).filter((p) => p.active).map((p) => (
                <Radio key={p.id} value={p.id} className="appt-place">
                  <span className="appt-place-name">{p.name}</span>
                  <span className="muted appt-place-line">{p.address}</span>
                  {p.phone ? <span className="muted appt-place-line">{t("book.placePhone", { phone: p.phone })}</span> : null}
                  {(p.hours.extended ?? []).length > 0 ? <Tag color="blue">{t("period.extended")}</Tag> : null}
                  {(p.hours.weekend ?? []).length > 0 ? <Tag color="purple">{t("period.weekend")}</Tag> : null}
                </Radio>
              ))}
            </Radio.Group>
          </Form.Item>
        </fieldset>

        {placeId ? (
          <fieldset className="appt-step">
            <legend>{t("book.step2")}</legend>
            {open.isError ? <ErrorAlert error={open.error} onRetry={() => void open.refetch()} /> : null}
            {open.data && items.length === 0 ? <Empty description={t("book.noItems", { place: place?.name ?? "" })} /> : null}
            {open.isPending || items.length > 0 ? (
              <Form.Item name="item_code" label={t("book.item")} rules={[chosen(t("book.itemRequired"))]}>
                <Select
                  showSearch
                  optionFilterProp="label"
                  loading={open.isPending}
                  placeholder={t("book.choose")}
                  options={items.map((i) => ({ value: i.code, label: i.name }))}
                />
              </Form.Item>
            ) : null}
          </fieldset>
        ) : null}

        {placeId && itemCode ? (
          <fieldset className="appt-step">
            <legend>{t("book.step3")}</legend>
            {slots.isPending ? <Skeleton active /> : null}
            {slots.isError ? <ErrorAlert error={slots.error} onRetry={() => void slots.refetch()} /> : null}
            {slots.data && days.length === 0 ? <Empty description={t("book.noSlots")} /> : null}
            {days.length > 0 ? (
              <Form.Item name="day" label={<span id="appt-day">{t("book.day")}</span>} rules={[chosen(t("book.dayRequired"))]}>
                <Radio.Group className="appt-days" optionType="button" buttonStyle="solid" aria-labelledby="appt-day"
                  options={days.map((d) => ({
                    value: d.day,
                    disabled: d.available === 0,
                    label: (
                      <span className="appt-day">
                        <span>{d.day.slice(5)} {t(`weekday.${weekday(d.day)}`)}</span>
                        <span className="appt-day-free">{d.available > 0 ? t("book.free", { count: d.available }) : t("book.full")}</span>
                      </span>
                    ),
                  }))}
                />
              </Form.Item>
            ) : null}
            {chosenDay ? (
              <Form.Item name="slot_id" label={<span id="appt-slot">{t("book.slot")}</span>} rules={[chosen(t("book.slotRequired"))]}>
                <Radio.Group className="appt-slots" optionType="button" buttonStyle="solid" aria-labelledby="appt-slot"
                  options={chosenDay.slots.map((s) => ({
                    value: s.id,
                    disabled: s.available === 0,
                    label: (
                      <span className="appt-slot">
                        <span>{slotTime(s)}</span>
                        <span className="appt-day-free">
                          {s.available > 0 ? t("book.free", { count: s.available }) : t("book.full")}
                          {s.period !== "regular" ? ` · ${t(`period.${s.period}`)}` : ""}
                        </span>
                      </span>
                    ),
                  }))}
                />
              </Form.Item>
            ) : null}
          </fieldset>
        ) : null}

        <fieldset className="appt-step">
          <legend>{t("book.step4")}</legend>
          <div className="appt-row">
            <Form.Item name="person_name" label={t("book.name")} initialValue={account?.name} rules={[{ max: 100, message: t("book.tooLong", { max: 100 }) }]}>
              <Input autoComplete="name" />
            </Form.Item>
            <Form.Item name="phone" label={t("book.phone")} extra={t("book.phoneHint")}
              initialValue={account && account.kind === "person" && /^\+?[0-9][0-9\- ]{4,19}$/.test(account.phone) ? account.phone : undefined}
              rules={[{ required: true, whitespace: true, message: t("book.phoneRequired") }]}>
              <Input autoComplete="tel" inputMode="tel" />
            </Form.Item>
          </div>
        </fieldset>
        <Button type="primary" htmlType="submit" size="large" loading={sending} block={phone}>
          {t("book.submit")}
        </Button>
      </Form>
    </div>
  );
}

export default function BookPage() {
  return (
    <RequireCitizen>
      <Book />
    </RequireCitizen>
  );
}
