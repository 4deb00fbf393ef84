import { useMemo, useRef, useState } from "react";
import { Alert, Button, Form } from "antd";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, MY } from "../../platform";
import { ApiError, unwrap } from "../../api/errors";
import { applyProblemToForm } from "../../api/problemForm";
import { useErrorText } from "../../components/ErrorAlert";
import { MaterialInput } from "../apply/MaterialInput";
import { correctionSlots, isProvided, materialAliases, materialsToSend, type MaterialSlot, type MaterialValues } from "../apply/model";
import { asGuideMaterial, type BundleApplication } from "./model";
import { getBundle, KEYS } from "./queries";

/** 补正 once for the whole bundle: every material the one notice names, each once, in one submission. */
export function BundleCorrection({ app }: { app: BundleApplication }) {
  const { t } = useTranslation("bundle");
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ materials?: MaterialValues }>();
  const [messages, setMessages] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const bundle = useQuery({ queryKey: KEYS.bundle(app.bundle_code), queryFn: () => getBundle(app.bundle_code) });
  const problems = app.problems.map((p) => ({ material: p.material, problem: "missing" as const, message: p.message }));
  const slots = useMemo(
    () => correctionSlots(problems, (bundle.data?.materials ?? []).map(asGuideMaterial)),
    [JSON.stringify(problems), bundle.data],
  );
  const rule = (slot: MaterialSlot) => ({
    validator: (_: unknown, value: MaterialValues[string]) =>
      !isProvided(slot, value)
        ? Promise.reject(new Error(slot.provision === "paper" ? t("apply:missingPaper", { name: slot.name }) : t("apply:missingUpload", { name: slot.name })))
        : Promise.resolve(),
  });
  const onFinish = async (v: { materials?: MaterialValues }) => {
    const { materials, keys } = materialsToSend(slots, v.materials ?? {});
    setBusy(true);
    setMessages([]);
    try {
      const updated = await unwrap(
        api.POST("/api/intake/v1/bundle-applications/{bundle_application_id}/resubmit", {
          params: { path: { bundle_application_id: app.id } },
          body: { materials },
        }),
      );
      queryClient.setQueryData(KEYS.one(app.id), updated);
      void queryClient.invalidateQueries({ queryKey: [MY, "applications"] });
    } catch (e) {
      if (e instanceof ApiError && e.problem) setMessages(applyProblemToForm(form, e.problem, slots.map((s) => ["materials", s.key]), materialAliases(keys)));
      else setMessages([errorText(e)]);
      window.setTimeout(() => summary.current?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };
  if (!bundle.data) return null;
  return (
    <Form form={form} name="bundle-correction" layout="vertical" className="apply-form" disabled={busy} initialValues={{ materials: {} }} onFinish={(v) => void onFinish(v)}>
      <div ref={summary} tabIndex={-1} className="apply-summary">
        {messages.length > 0 ? (
          <Alert
            type="error"
            showIcon
            role="alert"
            message={t("track.resubmitFailed")}
            description={
              <ul className="apply-gaps">
                {messages.map((m) => (
                  <li key={m}>{m}</li>
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
                problems={app.problems.filter((p) => p.material === slot.name).map((p) => p.message)}
                onError={(message) => form.setFields([{ name: ["materials", slot.key], errors: message ? [message] : [] }])}
              />
            </Form.Item>
          </li>
        ))}
      </ol>
      <div className="apply-actions">
        <Button type="primary" htmlType="submit" size="large" loading={busy}>
          {t("track.resubmit")}
        </Button>
      </div>
    </Form>
  );
}
