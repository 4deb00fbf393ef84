import { Link } from "react-router";
import { Tag } from "antd";
import { CheckCircleFilled, ClockCircleOutlined, FileSearchOutlined, PlayCircleFilled, StopOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { codeLabel } from "../../lib/labels";
import { formatDate } from "../../lib/format";
import { UnitName } from "../../components/UnitName";
import { statusColor } from "../../pages/applicationStatus";
import { caseState, stagesOf, type BundleApplication, type CaseState } from "./model";

const ICON: Record<CaseState, React.ReactNode> = {
  done: <CheckCircleFilled aria-hidden className="bundle-state-done" />,
  intake: <FileSearchOutlined aria-hidden className="bundle-state-waiting" />,
  active: <PlayCircleFilled aria-hidden className="bundle-state-active" />,
  waiting: <ClockCircleOutlined aria-hidden className="bundle-state-waiting" />,
  stopped: <StopOutlined aria-hidden className="bundle-state-stopped" />,
};

/**
 * The bundle's cases by stage, each with its department, state and promised date: a later stage
 * starts once the earlier is approved. `caseLink` makes each case's number a link (the citizen's
 * page of it, or the clerk's).
 */
export function CaseStages({ app, caseLink }: { app: BundleApplication; caseLink?: (id: string) => string }) {
  const { t } = useTranslation("bundle");
  return (
    <ol className="bundle-stages bundle-case-stages">
      {stagesOf(app.cases).map((s) => (
        <li key={s.stage} className={`bundle-stage${app.stage === s.stage ? " bundle-stage-current" : ""}`}>
          <div className="bundle-stage-head">
            <span className="bundle-stage-no">{t("stage.no", { no: s.stage })}</span>
            {app.stage === s.stage ? <Tag color="blue">{t("stage.now")}</Tag> : null}
            {s.members.length > 1 ? <span className="muted">{t("stage.parallel")}</span> : null}
          </div>
          <ul className="bundle-cases">
            {s.members.map((c) => {
              const state = caseState(c);
              return (
                <li key={c.application_id} className={`bundle-case bundle-case-${state}`}>
                  <div className="bundle-case-head">
                    {ICON[state]}
                    <strong>{c.item_name}</strong>
                    <Tag color={statusColor(c.status)}>{codeLabel(t, "status", c.status, c.status_name)}</Tag>
                  </div>
                  <div className="muted bundle-case-facts">
                    <span>
                      {t("case.unit")}：<UnitName code={c.owner_unit_code} />
                    </span>
                    <span>
                      {t("case.no")}：{caseLink ? <Link to={caseLink(c.application_id)}>{c.application_no}</Link> : c.application_no}
                    </span>
                    <span>{t(`case.state.${state}`)}</span>
                    {c.due_on ? <span>{t("case.due", { date: formatDate(c.due_on) })}</span> : null}
                    {c.result_name ? <span>{t("case.result", { name: c.result_name })}</span> : null}
                  </div>
                </li>
              );
            })}
          </ul>
        </li>
      ))}
    </ol>
  );
}
