/**
 * 统一社会信用代码 (GB 32100-2015): 18 characters from `0-9A-HJ-NP-RTUWXY` (no I, O, S, V, Z);
 * the last is a check character over the first 17 (weights 3^i mod 31). identity-svc checks it
 * again; checking here too tells a mistyped code at once.
 */
const ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccProblem = "length" | "characters" | "region" | "checkDigit";

/** The code as typed, made comparable: spaces dropped, letters upper-cased, full-width folded. */
export function normaliseUscc(value: string): string {
  return value
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, "")
    .toUpperCase();
}

/** The check character for the first 17 characters, or null when one is not in the alphabet. */
export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = ALPHABET.indexOf(first17[i] ?? "");
    if (value < 0) return null;
    sum += value * WEIGHTS[i]!;
  }
  return ALPHABET[(31 - (sum % 31)) % 31]!;
}

/** What is wrong with a (normalised) code, or null when it is valid. */
export function usccProblem(code: string): UsccProblem | null {
  if (code.length !== 18) return "length";
  if (![...code].every((c) => ALPHABET.includes(c))) return "characters";
  // Characters 3–8 are the registering authority's region code (行政区划码): digits.
  if (!/^\d{6}$/.test(code.slice(2, 8))) return "region";
  return usccCheckChar(code.slice(0, 17)) === code[17] ? null : "checkDigit";
}
