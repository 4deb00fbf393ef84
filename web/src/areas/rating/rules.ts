import type { FormRule } from "antd";

/**
 * "Choose one" for a radio or checkbox group: a validator, not `required: true`, because Ant Design
 * then puts `aria-required` on the group's plain <div>, which ARIA does not allow there (axe:
 * aria-allowed-attr). The label still says what is needed and the error is shown under it.
 */
export function chosen(message: string): FormRule {
  return {
    validator: (_rule, value: unknown) =>
      value === undefined || value === null || value === "" || (Array.isArray(value) && value.length === 0)
        ? Promise.reject(new Error(message))
        : Promise.resolve(),
  };
}
