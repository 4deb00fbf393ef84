import { Tag } from "antd";
import { useTranslation } from "react-i18next";

const COLOURS = { draft: "default", in_review: "processing", published: "success", retired: "error" } as const;

/** A version's or entry's status (草稿、审核中、已发布、已停用) as a tag. */
export function StatusTag({ status }: { status: keyof typeof COLOURS }) {
  const { t } = useTranslation("catalogue");
  return <Tag color={COLOURS[status]}>{t(`status.${status}`)}</Tag>;
}
