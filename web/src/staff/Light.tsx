import { Tag, Tooltip } from "antd";
import { CheckCircleOutlined, ClockCircleOutlined, ExclamationCircleOutlined, PauseCircleOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";

export type LightColour = "green" | "yellow" | "red";

const ICONS = { green: CheckCircleOutlined, yellow: ClockCircleOutlined, red: ExclamationCircleOutlined } as const;

/**
 * The time-limit light (红黄绿灯) of a case or ticket: colour, icon and words, so it is not told by
 * colour alone; a paused clock (special procedure, 特别程序) says so. Its own colours: antd's
 * success/warning/error tags fall short of 4.5:1 for their text.
 */
export function Light({ colour, paused = false }: { colour: LightColour; paused?: boolean }) {
  const { t } = useTranslation("staff");
  const Icon = paused ? PauseCircleOutlined : ICONS[colour];
  const label = paused ? t("light.paused") : t(`light.${colour}`);
  return (
    <Tooltip title={t(`light.${colour}Hint`)}>
      <Tag icon={<Icon aria-hidden />} className={`light-tag light-${paused ? "paused" : colour}`}>
        {label}
      </Tag>
    </Tooltip>
  );
}

/** Working days left as words: "剩 3 个工作日", "今天到期", "超期 2 个工作日". */
export function RemainingDays({ days }: { days: number | null | undefined }) {
  const { t } = useTranslation("staff");
  if (days === null || days === undefined) return <span>—</span>;
  if (days > 0) return <span>{t("remaining.left", { count: days })}</span>;
  if (days === 0) return <span>{t("remaining.today")}</span>;
  return <span className="overdue-text">{t("remaining.over", { count: -days })}</span>;
}
