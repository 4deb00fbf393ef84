import { useState } from "react";
import { Alert, Button, Descriptions, Form, Input, InputNumber } from "antd";
import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { ProblemAlert } from "../../components/ProblemAlert";
import { ItemName, ItemPicker } from "./ItemPicker";
import { addDays, daysInclusive, districtToday, type Place, type SlotGeneration } from "./model";
import { KEYS, useProblemOnForm } from "./shared";

interface GenerateValues {
  item_code?: string;
  first_day: string;
  last_day: string;
  capacity?: number;
  slot_minutes?: number | null;
}

/** The API covers at most this many days in one generation. */
const MOST_DAYS = 90;
const FIELDS = ["item_code", "first_day", "last_day", "capacity", "slot_minutes"];

/** Generate an item's slots at a place for a range of days, from its hours; what was done is shown. */
export function GenerateSlots({ place, onGenerated }: { place: Place; onGenerated: (itemCode: string, first: string, last: string) => void }) {
  const { t } = useTranslation("places");
  const queryClient = useQueryClient();
  const [form] = Form.useForm<GenerateValues>();
  const [general, setGeneral] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ done: SlotGeneration; item: string } | null>(null);
  const onProblem = useProblemOnForm();
  const today = districtToday();
  const tomorrow = addDays(today, 1);
  const submit = async (v: GenerateValues) => {
    setBusy(true);
    setGeneral([]);
    setResult(null);
    try {
      const done = await unwrap(
        api.POST("/api/intake/v1/places/{place_id}/slots/generate", {
          params: { path: { place_id: place.id } },
          body: {
            item_code: v.item_code!,
            first_day: v.first_day,
            days: daysInclusive(v.first_day, v.last_day)!,
            capacity: v.capacity!,
            slot_minutes: v.slot_minutes ?? null,
          },
        }),
      );
      setResult({ done, item: v.item_code! });
      await queryClient.invalidateQueries({ queryKey: KEYS.slots(place.id) });
      onGenerated(v.item_code!, done.first_day, done.last_day);
    } catch (error) {
      setGeneral(onProblem(form, error, FIELDS, { aliases: { days: "last_day" } }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <p className="muted">{t("generate.intro", { minutes: place.slot_minutes })}</p>
      <Form<GenerateValues>
        form={form}
        name={`generate-${place.id}`}
        layout="vertical"
        initialValues={{ first_day: tomorrow, last_day: addDays(tomorrow, 13), capacity: 3 }}
        onFinish={(v) => void submit(v)}
        className="pl-generate"
      >
        <ProblemAlert messages={general} title={t("problems")} />
        <Form.Item name="item_code" label={t("generate.item")} rules={[{ required: true, message: t("generate.itemNeeded") }]} className="pl-wide">
          <ItemPicker />
        </Form.Item>
        <div className="pl-grid">
          <Form.Item name="first_day" label={t("generate.firstDay")} rules={[{ required: true, message: t("generate.firstDayNeeded") }]}>
            <Input type="date" min={today} />
          </Form.Item>
          <Form.Item
            name="last_day"
            label={t("generate.lastDay")}
            dependencies={["first_day"]}
            rules={[
              { required: true, message: t("generate.lastDayNeeded") },
              ({ getFieldValue }) => ({
                validator: async (_, last?: string) => {
                  const first = getFieldValue("first_day") as string | undefined;
                  if (!first || !last) return;
                  const days = daysInclusive(first, last);
                  if (days === null) throw new Error(t("generate.lastBeforeFirst"));
                  if (days > MOST_DAYS) throw new Error(t("generate.tooMany", { most: MOST_DAYS }));
                },
              }),
            ]}
          >
            <Input type="date" min={today} />
          </Form.Item>
          <Form.Item
            name="capacity"
            label={t("generate.capacity")}
            rules={[{ required: true, type: "number", min: 1, max: 1000, message: t("generate.capacityRange") }]}
          >
            <InputNumber precision={0} />
          </Form.Item>
          <Form.Item name="slot_minutes" label={t("generate.slotMinutes")} extra={t("generate.slotMinutesHint", { minutes: place.slot_minutes })}>
            <InputNumber precision={0} />
          </Form.Item>
        </div>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t("generate.run")}
        </Button>
      </Form>
      {result ? (
        <div role="status" className="pl-result">
          <Alert
            type={result.done.created > 0 ? "success" : "info"}
            showIcon
            message={t(result.done.created > 0 ? "generate.done" : "generate.nothingNew", { created: result.done.created, existing: result.done.existing })}
          />
          <Descriptions size="small" bordered column={1} className="pl-gap">
            <Descriptions.Item label={t("generate.item")}>
              <ItemName code={result.item} />
            </Descriptions.Item>
            <Descriptions.Item label={t("generate.range")}>{t("dateRange", { from: result.done.first_day, to: result.done.last_day })}</Descriptions.Item>
            <Descriptions.Item label={t("generate.created")}>{result.done.created}</Descriptions.Item>
            <Descriptions.Item label={t("generate.existing")}>{result.done.existing}</Descriptions.Item>
          </Descriptions>
        </div>
      ) : null}
    </>
  );
}
