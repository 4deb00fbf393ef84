import { useState } from "react";
import { Alert, Button, Card, List, Space, Tag, Typography } from "antd";
import { SafetyCertificateOutlined } from "@ant-design/icons";
import { useMutation } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import type { components } from "../../api/schema";
import { useAreaTexts } from "../../i18n/useAreaTexts";
import { api } from "../../platform";
import { unwrap } from "../../api/errors";
import { useErrorText } from "../../components/ErrorAlert";
import { formatDate } from "../../lib/format";
import "./licence.css";

type Application = components["schemas"]["intake__ApplicationRead"];
type Material = components["schemas"]["intake__CaseMaterialRead"];

/** Before acceptance the window may fetch what the library holds for the applicant (intake refuses later). */
const FETCHABLE = ["submitted", "correction_requested"];

function MaterialLine({ m }: { m: Material }) {
  const { t } = useTranslation("licence");
  const fromLibrary = m.provided_as === "e_licence" && m.licence_status;
  const detail = fromLibrary
    ? t("materials.licence", {
        number: m.licence_no ?? "—",
        status: t(`codes.licenceStatus.${m.licence_status}`, { defaultValue: m.licence_status ?? "" }),
        until: m.licence_valid_until ? formatDate(m.licence_valid_until) : t("field.noEnd"),
      })
    : m.provided_as === "e_licence"
      ? t("materials.claim", { number: m.licence_no ?? "—" })
      : null;
  return (
    <List.Item className="case-material">
      <Space direction="vertical" size={2} style={{ width: "100%" }}>
        <Space wrap size={8}>
          <strong>{m.name}</strong>
          <Tag color={fromLibrary ? "green" : m.provided_as === "e_licence" ? "orange" : undefined} icon={fromLibrary ? <SafetyCertificateOutlined /> : undefined}>
            {t(`materials.providedAs.${m.provided_as}`)}
          </Tag>
        </Space>
        {detail ? <Typography.Text className="case-material-detail">{detail}</Typography.Text> : null}
      </Space>
    </List.Item>
  );
}

/**
 * The case's materials as they stand — handed in, or fetched from the electronic licence library
 * (两个免于提交) with the licence's number, state and validity — and, for the window before
 * acceptance, the fetch itself (`canFetch`). `onChanged` receives the case as intake answers it.
 */
export function CaseMaterialsCard({
  app,
  className,
  canFetch = false,
  plain = false,
  onChanged,
}: {
  app: Application;
  className?: string;
  canFetch?: boolean;
  /** A plain section with its heading, as the citizen's pages lay out theirs (else a card, as the workspace). */
  plain?: boolean;
  onChanged?: (app: Application) => void;
}) {
  const ready = useAreaTexts("licence");
  const { t } = useTranslation("licence");
  const errorText = useErrorText();
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const fetch = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/api/intake/v1/applications/{application_id}/licence-fetches", { params: { path: { application_id: app.id } } })),
    onSuccess: (next) => {
      const before = new Set((app.materials ?? []).filter((m) => m.licence_status).map((m) => m.name));
      const names = (next.materials ?? []).filter((m) => m.licence_status && !before.has(m.name)).map((m) => m.name);
      setOutcome({ ok: names.length > 0, text: names.length ? t("materials.fetched", { names: names.join("、") }) : t("materials.fetchedNone") });
      onChanged?.(next);
    },
    onError: (e) => setOutcome({ ok: false, text: errorText(e) }),
  });
  if (!ready || app.materials == null) return null;
  const materials = app.materials;
  const mayFetch = canFetch && FETCHABLE.includes(app.status) && (app.allowed_actions ?? []).some((a) => a === "accept" || a === "accept_on_the_spot" || a === "issue_notice");
  const anyFromLibrary = materials.some((m) => m.provided_as === "e_licence" && m.licence_status);
  const body = (
    <>
      {anyFromLibrary ? <p className="muted-p">{t("materials.fromLibrary")}</p> : null}
      {outcome ? <Alert type={outcome.ok ? "success" : "warning"} showIcon role="status" message={outcome.text} style={{ marginBottom: 8 }} /> : null}
      {materials.length === 0 ? <p className="muted-p">{t("materials.none")}</p> : <List size="small" dataSource={materials} rowKey="name" renderItem={(m) => <MaterialLine m={m} />} />}
      {mayFetch ? (
        <Space direction="vertical" size={4} style={{ marginTop: 8 }}>
          <Button icon={<SafetyCertificateOutlined />} loading={fetch.isPending} onClick={() => fetch.mutate()}>
            {t("materials.fetch")}
          </Button>
          <span className="muted">{t("materials.fetchHint")}</span>
        </Space>
      ) : null}
    </>
  );
  if (plain)
    return (
      <section className={className} aria-labelledby={`materials-${app.id}`}>
        <h2 id={`materials-${app.id}`}>{t("materials.title")}</h2>
        {body}
      </section>
    );
  return (
    <Card size="small" className={className} title={<h2 className="card-title">{t("materials.title")}</h2>}>
      {body}
    </Card>
  );
}
