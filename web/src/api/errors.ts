import { isProblem, type Problem } from "./problem";

/** An API call that did not succeed: a problem from the platform, or no answer at all (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | null,
    /** Seconds from `Retry-After` (429 and 503), when given. */
    readonly retryAfter: number | null,
  ) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.name = "ApiError";
  }
}

/** Whole seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value) return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** openapi-fetch's result as data, or an ApiError thrown (for TanStack Query and mutations). */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, null, null);
  }
  const { data, error, response } = result;
  if (response.ok) return data as T;
  throw new ApiError(
    response.status,
    isProblem(error) ? error : null,
    parseRetryAfter(response.headers.get("Retry-After")),
  );
}
