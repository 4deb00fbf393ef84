import type { ReactNode } from "react";
import { Drawer, Select, Typography, type FormInstance, type SelectProps } from "antd";
import { problemFields } from "./shared";
import "../../staff/staff.css";
import "./rules.css";

/**
 * Put a failed call's problem on the form (field errors under their fields) and return what
 * belongs above it.
 */
export function showProblem(form: FormInstance, error: unknown, fields: string[], fallback: string, aliases?: Record<string, string>): string[] {
  const found = problemFields(error, fields, fallback, aliases);
  form.setFields(found.fields);
  return found.general;
}

export { indented } from "../../components/OrgTree";

/** A rules page: its heading, a one-line explanation, then the content. */
export function RulesPage({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  return (
    <div className="staff-page">
      <Typography.Title level={1} className="staff-title">
        {title}
      </Typography.Title>
      <Typography.Paragraph className="rules-intro">{intro}</Typography.Paragraph>
      {children}
    </div>
  );
}

/** The drawer a rule is edited in: the whole width on a phone, 560 px at a desk. */
export function RuleDrawer({ open, title, onClose, children }: { open: boolean; title: string; onClose: () => void; children: ReactNode }) {
  return (
    <Drawer open={open} title={title} onClose={onClose} width="min(560px, 100vw)" rootClassName={OVERLAY} destroyOnHidden>
      {children}
    </Drawer>
  );
}

/**
 * A select in a form. A required Form.Item hands its child `aria-required`, which Ant Design's
 * Select puts on its outer div, where ARIA does not allow it (axe: aria-allowed-attr, critical);
 * the item's rules still require a value and say so under the field.
 */
export function FieldSelect(props: SelectProps & { "aria-required"?: unknown }) {
  const { "aria-required": _required, ...rest } = props;
  return <Select {...rest} />;
}

/** Modals and drawers of these pages (their error texts dark enough to read). */
export const OVERLAY = "rules-overlay";
