import { Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { Bundle, BundleMaterial } from "./model";
import { neededByText, stagesOf } from "./model";

/** The bundle's items by stage: 第1步 first, items of one stage side by side (并联). */
export function Stages({ members }: { members: Bundle["members"] }) {
  const { t } = useTranslation("bundle");
  const stages = stagesOf(members);
  return (
    <ol className="bundle-stages">
      {stages.map((s) => (
        <li key={s.stage} className="bundle-stage">
          <div className="bundle-stage-head">
            <span className="bundle-stage-no">{t("stage.no", { no: s.stage })}</span>
            <span className="muted">{s.members.length > 1 ? t("stage.parallel") : s.stage === 1 ? t("stage.first") : t("stage.after")}</span>
          </div>
          <ul className="bundle-stage-items">
            {s.members.map((m) => (
              <li key={m.code}>
                <strong>{m.name}</strong>
                <span className="muted"> · {m.owner_unit_name}</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}

const MEDIA = ["original", "copy", "electronic"] as const;

/** One merged material: its name, whether items share it (handed in once), exempt, what form and how many. */
export function MaterialLine({ m }: { m: BundleMaterial }) {
  const { t } = useTranslation("bundle");
  const counts = [
    m.originals > 0 ? t("material.originals", { count: m.originals }) : null,
    m.copies > 0 ? t("material.copies", { count: m.copies }) : null,
  ].filter(Boolean);
  return (
    <div className="bundle-material">
      <div className="bundle-material-head">
        <strong className="bundle-material-name">{m.name}</strong>
        {m.shared ? <Tag color="purple">{t("material.shared", { count: m.needed_by.length })}</Tag> : null}
        {m.exempt ? <Tag color="green">{t("material.exempt")}</Tag> : null}
        {m.requirement === "conditional" ? <Tag>{t("material.conditional")}</Tag> : null}
      </div>
      <div className="muted">
        {t("material.neededBy", { items: neededByText(m) })}
        {m.needed_by.find((n) => n.condition) ? ` · ${t("material.condition", { condition: m.needed_by.find((n) => n.condition)?.condition })}` : ""}
      </div>
      {!m.exempt ? (
        <div className="muted">
          {MEDIA.filter((x) => m.media.includes(x))
            .map((x) => t(`material.medium.${x}`))
            .join(" / ")}
          {counts.length > 0 ? ` · ${counts.join("，")}` : ""}
          {m.source ? ` · ${t("material.source", { source: m.source })}` : ""}
        </div>
      ) : (
        <div className="muted">{m.exempt_source ? t("material.exemptFrom", { source: m.exempt_source }) : t("material.exemptHint")}</div>
      )}
    </div>
  );
}
