import { Alert, Button, Checkbox, Form, Input } from "antd";
import { DeleteOutlined, PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { KIND_WEEKDAYS, minutesOf, PERIOD_KINDS, periodText, type HoursWords, type PeriodKind, type PlaceHours } from "./model";

/** The words hours are written with, in the reader's language. */
export function useHoursWords(): HoursWords {
  const { t } = useTranslation("places");
  return { day: (n) => t(`weekday.${n}`), range: (from, to) => t("weekdayRange", { from, to }), sep: t("listSep") };
}

/** A place's hours, kind by kind (工作日 / 错峰延时 / 周末), each period in words. */
export function HoursView({ hours, compact = false }: { hours: PlaceHours; compact?: boolean }) {
  const { t } = useTranslation("places");
  const words = useHoursWords();
  const kinds = compact ? PERIOD_KINDS.filter((k) => (hours[k] ?? []).length > 0) : PERIOD_KINDS;
  return (
    <dl className={compact ? "pl-hours pl-hours-compact" : "pl-hours"}>
      {kinds.map((kind) => {
        const periods = hours[kind] ?? [];
        return (
          <div key={kind} className="pl-hours-row">
            <dt>{t(`hours.kind.${kind}`)}</dt>
            <dd>
              {periods.length
                ? periods.map((p, i) => (
                    <span key={i} className="pl-period-text">
                      {periodText(p, words)}
                      {i < periods.length - 1 ? t("periodSep") : null}
                    </span>
                  ))
                : t("hours.closed")}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

/** One kind of periods in the hours form: a row per period (start, end, weekdays), add and remove. */
function KindEditor({ kind }: { kind: PeriodKind }) {
  const { t } = useTranslation("places");
  const kindName = t(`hours.kind.${kind}`);
  const days = KIND_WEEKDAYS[kind].map((n) => ({ value: n, label: t(`weekday.${n}`) }));
  return (
    <fieldset className="pl-kind">
      <legend>{kindName}</legend>
      <p className="muted pl-kind-hint">{t(`hours.hint.${kind}`)}</p>
      <Form.List
        name={["hours", kind]}
        rules={
          kind === "working_days"
            ? [
                {
                  validator: async (_, rows?: unknown[]) => {
                    if (!rows || rows.length === 0) throw new Error(t("hours.needOne"));
                  },
                },
              ]
            : []
        }
      >
        {(fields, { add, remove }, { errors }) => (
          <>
            {fields.map((field, i) => {
              const name = t("hours.periodName", { kind: kindName, n: i + 1 });
              return (
                <div key={field.key} className="pl-period" role="group" aria-label={name}>
                  <Form.Item name={[field.name, "start"]} label={t("hours.start")} rules={[{ required: true, message: t("hours.startNeeded") }]}>
                    <Input type="time" className="pl-time" />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, "end"]}
                    label={t("hours.end")}
                    dependencies={[["hours", kind, field.name, "start"]]}
                    rules={[
                      { required: true, message: t("hours.endNeeded") },
                      ({ getFieldValue }) => ({
                        validator: async (_, end?: string) => {
                          const a = minutesOf(getFieldValue(["hours", kind, field.name, "start"]) as string | undefined);
                          const b = minutesOf(end);
                          if (a !== null && b !== null && b <= a) throw new Error(t("hours.endAfterStart"));
                        },
                      }),
                    ]}
                  >
                    <Input type="time" className="pl-time" />
                  </Form.Item>
                  <Form.Item name={[field.name, "weekdays"]} label={t("hours.weekdays")} className="pl-weekdays">
                    <Checkbox.Group options={days} />
                  </Form.Item>
                  <Button
                    type="text"
                    danger
                    className="pl-remove"
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t("hours.remove", { name })}
                    onClick={() => remove(field.name)}
                  />
                </div>
              );
            })}
            <Form.ErrorList errors={errors} />
            <Button type="dashed" icon={<PlusOutlined aria-hidden />} onClick={() => add({ start: "", end: "", weekdays: [] })}>
              {t("hours.add", { kind: kindName })}
            </Button>
          </>
        )}
      </Form.List>
    </fieldset>
  );
}

/** The hours of a place as a form part (inside a Form): the three kinds, and errors of the whole. */
export function HoursEditor({ errors }: { errors: string[] }) {
  const { t } = useTranslation("places");
  return (
    <section className="pl-hours-editor" aria-labelledby="pl-hours-title">
      <h3 id="pl-hours-title" className="pl-subtitle">
        {t("hours.title")}
      </h3>
      <p className="muted">{t("hours.intro")}</p>
      {errors.length ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          className="pl-hours-errors"
          message={errors.length === 1 ? errors[0] : t("hours.problems")}
          description={errors.length > 1 ? <ul>{errors.map((e) => <li key={e}>{e}</li>)}</ul> : undefined}
        />
      ) : null}
      {PERIOD_KINDS.map((kind) => (
        <KindEditor key={kind} kind={kind} />
      ))}
    </section>
  );
}
