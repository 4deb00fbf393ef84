import { useMemo } from "react";
import { Select, type FormInstance, type SelectProps } from "antd";
import { ApiError } from "../../api/errors";
import { useErrorText } from "../../components/ErrorAlert";
import { flattenOrg, useOrgTree } from "../../components/OrgTree";
import { spreadProblem } from "./model";

/** Query key roots of this area (places are public; agreements depend on the caller's unit). */
export const KEYS = {
  places: ["places", "list"] as const,
  place: (id: string) => ["places", "place", id] as const,
  slots: (id: string) => ["places", "slots", id] as const,
};

/** Every unit of the organisation tree as select options by code, each with its depth. */
export function useUnitOptions(): { value: string; label: string; depth: number }[] {
  const tree = useOrgTree();
  return useMemo(
    () => flattenOrg(tree.data?.roots ?? []).map(({ unit, depth }) => ({ value: unit.code, label: unit.name, depth })),
    [tree.data],
  );
}

export { indented } from "../../components/OrgTree";

/**
 * Show a failed save on its form: each field's errors under the field, the hours' own errors given
 * to `onHours`; returns what belongs above the form.
 */
export function useProblemOnForm() {
  const errorText = useErrorText();
  return (
    form: FormInstance,
    error: unknown,
    fields: string[],
    options: { aliases?: Record<string, string>; onHours?: (messages: string[]) => void } = {},
  ): string[] => {
    if (!(error instanceof ApiError) || !error.problem) return [errorText(error)];
    const spread = spreadProblem(error.problem, fields, options.aliases);
    form.setFields(spread.fields.map((f) => ({ name: f.name, errors: f.errors })));
    options.onHours?.(spread.hours);
    return options.onHours ? spread.general : [...spread.hours, ...spread.general];
  };
}

/**
 * A select in a form. A required Form.Item hands its child `aria-required`, which Ant Design's
 * Select puts on its outer div, where ARIA does not allow it (axe: aria-allowed-attr); the item's
 * rules still require a value and say so under the field.
 */
export function FormSelect(props: SelectProps & { "aria-required"?: unknown }) {
  const { "aria-required": _required, ...rest } = props;
  return <Select {...rest} />;
}
