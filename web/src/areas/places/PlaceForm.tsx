import { useState } from "react";
import { Button, Form, Input, InputNumber } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSession } from "../../auth/useSession";
import { HoursEditor } from "./Hours";
import { formToHours, hoursToForm, type HoursForm, type Place } from "./model";
import { FormSelect, indented, useProblemOnForm, useUnitOptions } from "./shared";

interface PlaceValues {
  code?: string;
  name: string;
  org_unit_code?: string;
  address: string;
  phone?: string;
  slot_minutes: number;
  hours: HoursForm;
}

const FIELDS = ["code", "name", "org_unit_code", "address", "phone", "slot_minutes", "hours"];
/** A new place opens 09:00–12:00 and 13:30–17:00 on working days until someone says otherwise. */
const NEW_HOURS: HoursForm = {
  working_days: [
    { start: "09:00", end: "12:00", weekdays: [] },
    { start: "13:30", end: "17:00", weekdays: [] },
  ],
  extended: [],
  weekend: [],
};

/** A new service place, or a change of one's details and hours (the code and unit stay). */
export function PlaceForm({ place, onDone, onCancel }: { place?: Place; onDone: (saved: Place) => void; onCancel: () => void }) {
  const { t } = useTranslation("places");
  const { claims } = useSession();
  const [form] = Form.useForm<PlaceValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [hoursErrors, setHoursErrors] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const units = useUnitOptions();
  const onProblem = useProblemOnForm();
  const submit = async (v: PlaceValues) => {
    setBusy(true);
    setGeneral([]);
    setHoursErrors([]);
    const common = {
      name: v.name.trim(),
      address: v.address.trim(),
      phone: v.phone?.trim() || null,
      slot_minutes: v.slot_minutes,
      hours: formToHours(v.hours),
    };
    try {
      const saved = place
        ? await unwrap(api.PATCH("/api/intake/v1/places/{place_id}", { params: { path: { place_id: place.id } }, body: common }))
        : await unwrap(api.POST("/api/intake/v1/places", { body: { ...common, code: v.code!.trim(), org_unit_code: v.org_unit_code! } }));
      onDone(saved);
    } catch (error) {
      setGeneral(onProblem(form, error, FIELDS, { onHours: setHoursErrors }));
    } finally {
      setBusy(false);
    }
  };
  const initial: Partial<PlaceValues> = place
    ? { name: place.name, address: place.address, phone: place.phone ?? "", slot_minutes: place.slot_minutes, hours: hoursToForm(place.hours) }
    : { slot_minutes: 30, hours: NEW_HOURS, org_unit_code: claims?.roles.includes("admin") ? undefined : claims?.org_unit_code };
  return (
    <Form<PlaceValues>
      form={form}
      name={place ? `place-${place.id}` : "place-new"}
      layout="vertical"
      initialValues={initial}
      onFinish={(v) => void submit(v)}
      scrollToFirstError
    >
      <ProblemAlert messages={general} title={t("problems")} />
      {place ? null : (
        <Form.Item name="code" label={t("place.code")} extra={t("place.codeHint")} rules={[{ required: true, whitespace: true, message: t("place.codeNeeded") }]}>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="name" label={t("place.name")} rules={[{ required: true, whitespace: true, message: t("place.nameNeeded") }]}>
        <Input maxLength={200} />
      </Form.Item>
      {place ? null : (
        <Form.Item name="org_unit_code" label={t("place.unit")} rules={[{ required: true, message: t("place.unitNeeded") }]}>
          <FormSelect showSearch optionFilterProp="label" options={units} optionRender={indented} />
        </Form.Item>
      )}
      <Form.Item name="address" label={t("place.address")} rules={[{ required: true, whitespace: true, message: t("place.addressNeeded") }]}>
        <Input maxLength={300} />
      </Form.Item>
      <Form.Item name="phone" label={t("place.phone")}>
        <Input maxLength={30} inputMode="tel" autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="slot_minutes"
        label={t("place.slotMinutes")}
        extra={t("place.slotMinutesHint")}
        rules={[{ required: true, type: "number", min: 5, max: 240, message: t("place.slotMinutesRange") }]}
      >
        <InputNumber precision={0} />
      </Form.Item>
      <HoursEditor errors={hoursErrors} />
      <div className="staff-toolbar pl-actions">
        <Button type="primary" htmlType="submit" loading={busy}>
          {place ? t("save") : t("place.create")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}
