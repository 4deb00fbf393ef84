import { useMemo, useRef, useState } from "react";
import { Alert, Button, Form, Skeleton } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { ErrorAlert, useErrorText } from "../../components/ErrorAlert";
import { MaterialInput } from "./MaterialInput";
import {
  correctionSlots,
  isProvided,
  materialAliases,
  materialsToSend,
  problemsByMaterial,
  type MaterialProblem,
  type MaterialSlot,
  type MaterialValues,
} from "./model";
import "./apply.css";

type Application = components["schemas"]["intake__ApplicationRead"];

interface CorrectionValues {
  materials?: MaterialValues;
}

const FORM = "correction";

/**
 * Correct what a one-time notice (补正告知) asks for: every material it names at once, each with
 * what was wrong, uploaded again (or confirmed on paper), then resubmitted in one go.
 */
export function CorrectionForm({ app, problems }: { app: Application; problems: MaterialProblem[] }) {
  const { t } = useTranslation("apply");
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CorrectionValues>();
  const [submitting, setSubmitting] = useState(false);
  const [messages, setMessages] = useState<string[]>([]);
  const [missing, setMissing] = useState<{ key: string; text: string }[]>([]);
  const summary = useRef<HTMLDivElement>(null);
  const guide = useQuery({
    queryKey: ["guide", app.item_code],
    queryFn: () => unwrap(api.GET("/api/catalog/v1/items/{code}/guide", { params: { path: { code: app.item_code } } })),
  });
  const slots = useMemo(() => correctionSlots(problems, guide.data?.materials ?? []), [problems, guide.data]);
  const byMaterial = useMemo(() => problemsByMaterial(problems), [problems]);

  if (guide.isPending) return <Skeleton active />;
  if (guide.isError && !(guide.error instanceof ApiError && guide.error.status === 404)) {
    return <ErrorAlert error={guide.error} onRetry={() => void guide.refetch()} />;
  }

  const rule = (slot: MaterialSlot) => ({
    validator: (_: unknown, value: MaterialValues[string]) =>
      !isProvided(slot, value)
        ? Promise.reject(new Error(slot.provision === "paper" ? t("missingPaper", { name: slot.name }) : t("missingUpload", { name: slot.name })))
        : Promise.resolve(),
  });

  const focusSummary = () => window.setTimeout(() => summary.current?.focus(), 0);

  const onFinish = async (values: CorrectionValues) => {
    const { materials, keys } = materialsToSend(slots, values.materials ?? {});
    setSubmitting(true);
    setMessages([]);
    setMissing([]);
    try {
      const updated = await unwrap(
        api.POST("/api/intake/v1/applications/{application_id}/resubmit", {
          params: { path: { application_id: app.id } },
          body: { materials },
        }),
      );
      queryClient.setQueryData([MY, "application", app.id], updated);
      await queryClient.invalidateQueries({ queryKey: [MY, "application", app.id, "trace"] });
      await queryClient.invalidateQueries({ queryKey: [MY, "applications"] });
    } catch (error) {
      if (error instanceof ApiError && error.problem) {
        setMessages(
          applyProblemToForm(
            form,
            error.problem,
            slots.map((s) => ["materials", s.key]),
            materialAliases(keys),
          ),
        );
      } else {
        setMessages([errorText(error)]);
      }
      focusSummary();
    } finally {
      setSubmitting(false);
    }
  };

  return (
    <Form<CorrectionValues>
      form={form}
      name={FORM}
      className="apply-form"
      layout="vertical"
      disabled={submitting}
      initialValues={{ materials: {} }}
      onFinish={(v) => void onFinish(v)}
      onFieldsChange={() => {
        if (missing.length === 0) return;
        setMissing(form.getFieldsError().filter((f) => f.errors.length > 0).map((f) => ({ key: f.name.join("."), text: f.errors[0]! })));
      }}
      onFinishFailed={({ errorFields }) => {
        setMissing(errorFields.filter((f) => f.errors.length > 0).map((f) => ({ key: f.name.join("."), text: f.errors[0]! })));
        focusSummary();
      }}
    >
      <div ref={summary} tabIndex={-1} className="apply-summary">
        {messages.length > 0 || missing.length > 0 ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            message={missing.length > 0 ? t("gaps", { count: missing.length }) : t("failed")}
            description={
              <ul className="apply-gaps">
                {[...messages.map((m) => ({ key: m, text: m })), ...missing].map((g) => (
                  <li key={g.key}>{g.text}</li>
                ))}
              </ul>
            }
          />
        ) : null}
      </div>
      <ol className="apply-materials">
        {slots.map((slot) => (
          <li key={slot.key}>
            <Form.Item name={["materials", slot.key]} rules={[rule(slot)]} className="apply-material-item">
              <MaterialInput
                slot={slot}
                problems={byMaterial.get(slot.name)}
                onError={(message) => form.setFields([{ name: ["materials", slot.key], errors: message ? [message] : [] }])}
              />
            </Form.Item>
          </li>
        ))}
      </ol>
      <div className="apply-actions">
        <Button type="primary" htmlType="submit" size="large" loading={submitting}>
          {t("resubmit")}
        </Button>
      </div>
    </Form>
  );
}
