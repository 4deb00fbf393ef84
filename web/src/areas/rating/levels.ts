import type { components } from "../../api/schema";

export type RatingLevel = components["schemas"]["evaluation__RatingLevel"];
export type RatingCreate = components["schemas"]["evaluation__RatingCreate"];
export type Channel = components["schemas"]["evaluation__Channel"];

/** 1 非常满意 … 5 非常不满意 (GB/T 39734), best first. */
export const LEVELS = [1, 2, 3, 4, 5] as const satisfies readonly RatingLevel[];

/** Levels 4 and 5 are bad reviews (差评): they open a case, and the rater must say why. */
export function isBad(level: RatingLevel | null | undefined): boolean {
  return level === 4 || level === 5;
}

/**
 * The standard reasons (评价维度) offered with a rating: what went well for levels 1–3 (optional),
 * what went wrong for a bad review (at least one required). The API keeps them as the Chinese text
 * (`aspects`, each 1–30 characters), which the unit rated reads; `key` names the label in the
 * catalogue.
 */
export const GOOD_REASONS = [
  { key: "friendly", text: "服务态度热情" },
  { key: "fast", text: "办事效率高" },
  { key: "toldOnce", text: "一次性告知清楚" },
  { key: "simple", text: "办事流程简便" },
  { key: "fewMaterials", text: "提交材料精简" },
  { key: "convenient", text: "办事环境便利" },
] as const;

export const BAD_REASONS = [
  { key: "attitude", text: "服务态度差" },
  { key: "slow", text: "办事效率低" },
  { key: "notToldOnce", text: "未一次性告知" },
  { key: "manyVisits", text: "多次跑动" },
  { key: "manyMaterials", text: "材料要求繁琐" },
  { key: "complicated", text: "办事流程复杂" },
  { key: "unclearGuide", text: "办事指南不清晰" },
  { key: "longWait", text: "等候时间过长" },
  { key: "systemTrouble", text: "系统操作不便" },
] as const;

export type Reason = (typeof GOOD_REASONS)[number] | (typeof BAD_REASONS)[number];

/** The reasons offered for a level (none until a level is chosen). */
export function reasonsFor(level: RatingLevel | null | undefined): readonly Reason[] {
  if (level === null || level === undefined) return [];
  return isBad(level) ? BAD_REASONS : GOOD_REASONS;
}

export interface RatingValues {
  level?: RatingLevel;
  aspects?: string[];
  comment?: string;
}

/** What is missing before a rating can be sent: a level, and for a bad review at least one reason. */
export function ratingProblems(values: RatingValues): ("level" | "aspects")[] {
  const problems: ("level" | "aspects")[] = [];
  if (values.level === undefined) problems.push("level");
  else if (isBad(values.level) && keptReasons(values).length === 0) problems.push("aspects");
  return problems;
}

/** The chosen reasons that belong to the chosen level (changing the level drops the others). */
export function keptReasons(values: RatingValues): string[] {
  const offered = new Set<string>(reasonsFor(values.level).map((r) => r.text));
  return (values.aspects ?? []).filter((a) => offered.has(a));
}

/** The request body for `POST /service-events/{id}/rating`. */
export function ratingBody(values: RatingValues & { level: RatingLevel }, channel: Channel, code?: string): RatingCreate {
  const comment = values.comment?.trim();
  return {
    level: values.level,
    channel,
    aspects: keptReasons(values),
    ...(comment ? { comment } : {}),
    ...(code ? { code: normaliseCode(code) } : {}),
  };
}

/** A code as typed or read aloud (lower case, blanks, dashes) in the form the pad shows it. */
export function normaliseCode(code: string): string {
  return code.replace(/[\s-]+/g, "").toUpperCase();
}
