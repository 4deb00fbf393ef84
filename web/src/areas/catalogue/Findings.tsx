import { createContext, useContext, type ReactNode } from "react";
import { Form, type FormItemProps } from "antd";
import { CloseCircleFilled, ExclamationCircleFilled, InfoCircleFilled } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import { elementPath, type FieldPath, type Finding } from "./model";

/** The findings of the draft's last quality check, by the element path of the field they belong to. */
export const FindingsContext = createContext<Map<string, Finding[]>>(new Map());

const ICON = { error: CloseCircleFilled, warning: ExclamationCircleFilled, info: InfoCircleFilled } as const;

/** Quality findings as a short list: severity in words and icon, the message, the hint. */
export function FindingList({ findings }: { findings: Finding[] | undefined }) {
  const { t } = useTranslation("catalogue");
  if (!findings || findings.length === 0) return null;
  return (
    <ul className="cat-findings">
      {findings.map((f) => {
        const Icon = ICON[f.severity];
        return (
          <li key={`${f.check}-${f.element}-${f.message}`} className={`cat-finding cat-finding-${f.severity}`}>
            <Icon aria-hidden /> <strong>{t(`severity.${f.severity}`)}</strong> {f.message}
            {f.hint ? <span className="cat-hint">{t("quality.hint", { hint: f.hint })}</span> : null}
          </li>
        );
      })}
    </ul>
  );
}

/** The findings at one element path (a group of fields, a list), for placing above it. */
export function FindingsAt({ path }: { path: FieldPath }) {
  const byField = useContext(FindingsContext);
  return <FindingList findings={byField.get(elementPath(path))} />;
}

/** A form field with the quality findings of its element shown under it, as the editor types. */
export function Field({
  path,
  extra,
  ...props
}: FormItemProps & { path: FieldPath; children: ReactNode }) {
  const byField = useContext(FindingsContext);
  const findings = byField.get(elementPath(path));
  return (
    <Form.Item
      {...props}
      extra={
        findings || extra ? (
          <>
            {extra}
            <FindingList findings={findings} />
          </>
        ) : undefined
      }
    />
  );
}
