import { useState } from "react";
import { Button, Form, Input, Radio } from "antd";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ProblemAlert } from "../../components/ProblemAlert";
import { useSession } from "../../auth/useSession";
import { ItemPicker } from "./ItemPicker";
import { addDays, districtToday, type Agreement } from "./model";
import { FormSelect, indented, useProblemOnForm, useUnitOptions } from "./shared";

interface AgreementValues {
  entrusting_unit_code?: string;
  entrusted_unit_code?: string;
  scope: "all" | "some";
  item_codes?: string[];
  valid_from: string;
  valid_until: string;
  reference?: string;
}

const FIELDS = ["entrusting_unit_code", "entrusted_unit_code", "item_codes", "valid_from", "valid_until", "reference"];

/** A new entrustment agreement: who entrusts whom with which items, from when until when. */
export function EntrustmentForm({ onDone, onCancel }: { onDone: (a: Agreement) => void; onCancel: () => void }) {
  const { t } = useTranslation("places");
  const { claims } = useSession();
  const admin = claims?.roles.includes("admin") ?? false;
  const [form] = Form.useForm<AgreementValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const units = useUnitOptions();
  const onProblem = useProblemOnForm();
  const scope = Form.useWatch("scope", form);
  const entrusting = Form.useWatch("entrusting_unit_code", form);
  const today = districtToday();
  const submit = async (v: AgreementValues) => {
    setBusy(true);
    setGeneral([]);
    try {
      const saved = await unwrap(
        api.POST("/api/intake/v1/entrustments", {
          body: {
            entrusting_unit_code: v.entrusting_unit_code!,
            entrusted_unit_code: v.entrusted_unit_code!,
            item_codes: v.scope === "all" ? ["*"] : (v.item_codes ?? []),
            valid_from: v.valid_from,
            valid_until: v.valid_until,
            reference: v.reference?.trim() || null,
          },
        }),
      );
      onDone(saved);
    } catch (error) {
      setGeneral(onProblem(form, error, FIELDS, { aliases: { item_codes: v.scope === "all" ? "scope" : "item_codes" } }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Form<AgreementValues>
      form={form}
      name="entrustment-new"
      layout="vertical"
      // An approver records agreements of their own unit only (the API checks it).
      initialValues={{ scope: "all", valid_from: today, valid_until: addDays(today, 364), entrusting_unit_code: admin ? undefined : claims?.org_unit_code }}
      onFinish={(v) => void submit(v)}
    >
      <ProblemAlert messages={general} title={t("problems")} />
      <Form.Item name="entrusting_unit_code" label={t("entrust.entrusting")} extra={t("entrust.entrustingHint")} rules={[{ required: true, message: t("entrust.entrustingNeeded") }]}>
        <FormSelect
          showSearch
          optionFilterProp="label"
          options={units}
          optionRender={indented}
          disabled={!admin}
          onChange={() => form.setFieldValue("item_codes", [])}
        />
      </Form.Item>
      <Form.Item name="entrusted_unit_code" label={t("entrust.entrusted")} extra={t("entrust.entrustedHint")} rules={[{ required: true, message: t("entrust.entrustedNeeded") }]}>
        <FormSelect showSearch optionFilterProp="label" options={units} optionRender={indented} />
      </Form.Item>
      <Form.Item name="scope" label={t("entrust.scope")}>
        <Radio.Group
          options={[
            { value: "all", label: t("entrust.scopeAll") },
            { value: "some", label: t("entrust.scopeSome") },
          ]}
        />
      </Form.Item>
      {scope === "some" ? (
        <Form.Item
          name="item_codes"
          label={t("entrust.items")}
          extra={entrusting ? t("entrust.itemsHint") : t("entrust.itemsPickUnit")}
          rules={[{ required: true, type: "array", min: 1, message: t("entrust.itemsNeeded") }]}
        >
          <ItemPicker multiple unit={entrusting} />
        </Form.Item>
      ) : null}
      <div className="pl-grid">
        <Form.Item name="valid_from" label={t("entrust.validFrom")} rules={[{ required: true, message: t("entrust.validFromNeeded") }]}>
          <Input type="date" />
        </Form.Item>
        <Form.Item name="valid_until" label={t("entrust.validUntil")} rules={[{ required: true, message: t("entrust.validUntilNeeded") }]}>
          <Input type="date" />
        </Form.Item>
      </div>
      <Form.Item name="reference" label={t("entrust.reference")} extra={t("entrust.referenceHint")}>
        <Input maxLength={200} />
      </Form.Item>
      <div className="staff-toolbar pl-actions">
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("entrust.create")}
        </Button>
        <Button onClick={onCancel}>{t("cancel")}</Button>
      </div>
    </Form>
  );
}
