import { Descriptions, Tag } from "antd";
import { useTranslation } from "react-i18next";
import { formatDateTime } from "../../lib/format";
import { UnitName } from "../../components/UnitName";

/** What is being rated: the item, the kind of service, where and when, and until when it can be rated. */
export function ServiceSummary({
  service,
}: {
  service: {
    kind: "application" | "ticket" | "visit";
    item_name?: string | null;
    reference_no?: string | null;
    window_code?: string | null;
    unit_code: string;
    served_at: string;
    rateable_until: string;
  };
}) {
  const { t } = useTranslation("rating");
  return (
    <Descriptions bordered size="small" column={1} className="rating-summary">
      <Descriptions.Item label={t("service.item")}>
        {service.item_name ?? t("service.unnamed")} <Tag>{t(`kind.${service.kind}`)}</Tag>
      </Descriptions.Item>
      {service.reference_no ? <Descriptions.Item label={t("service.number")}>{service.reference_no}</Descriptions.Item> : null}
      <Descriptions.Item label={service.window_code ? t("service.window") : t("service.unit")}>
        <UnitName code={service.window_code ?? service.unit_code} />
      </Descriptions.Item>
      <Descriptions.Item label={t("service.servedAt")}>{formatDateTime(service.served_at)}</Descriptions.Item>
      <Descriptions.Item label={t("service.rateableUntil")}>{formatDateTime(service.rateable_until)}</Descriptions.Item>
    </Descriptions>
  );
}

/** True once the rating period is over. */
export function ratingClosed(rateableUntil: string, now: number = Date.now()): boolean {
  return new Date(rateableUntil).getTime() < now;
}
