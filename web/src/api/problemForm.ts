import type { FormInstance } from "antd";
import { mapProblemToFields, type FieldPath, type Problem } from "./problem";

/**
 * Show a problem on an Ant Design form: each field error under its field (in the language the
 * platform answered in), and return the messages that belong above the form.
 */
export function applyProblemToForm<T>(
  form: FormInstance<T>,
  problem: Problem,
  fields: (string | FieldPath)[],
  aliases: Record<string, string | FieldPath> = {},
): string[] {
  const mapped = mapProblemToFields(problem, fields, aliases);
  form.setFields(mapped.fields as Parameters<FormInstance<T>["setFields"]>[0]);
  return mapped.general;
}
