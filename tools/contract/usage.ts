/**
 * A front-end team's first use of the client generated from the merged document: one typed call
 * (or more) to every service through the gateway, and the typed problem on an error.
 *
 * tests/e2e/test_api_contract.py generates `api.ts` from the live /api/openapi.json with
 * openapi-typescript, compiles this file under `tsc --strict` (tsconfig.json), then runs it
 * against that gateway: `node out/usage.js <gateway URL> <password of the demo logins>`. It prints
 * one JSON line of what it saw, which the test checks.
 *
 * This compiles only if the document gives these operations their real shapes: a token from the
 * login, the account on /me as a union narrowed by `kind`, a page (`items`, `total`, `limit`,
 * `offset`) from every list, enums on filters, and exactly the one `Problem` type as the error.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./api.js";

type Problem = components["schemas"]["Problem"];

/** `true` only when A and B are assignable both ways and A is not `any`: `error` must be the Problem. */
type Same<A, B> = 0 extends 1 & A ? false : [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** What a page must offer wherever a collection is listed. */
interface PageShape {
  items: unknown[];
  total: number;
  limit: number;
  offset: number;
}

const [baseArg, passwordArg] = process.argv.slice(2);
if (!baseArg || !passwordArg) {
  throw new Error("usage: node out/usage.js <gateway URL> <demo password>");
}
const baseUrl: string = baseArg;
const password: string = passwordArg;
const api = createClient<paths>({ baseUrl });

function bearer(token: string): { Authorization: string } {
  return { Authorization: `Bearer ${token}` };
}

function page<P extends PageShape>(label: string, data: P): { total: number; count: number } {
  if (!Array.isArray(data.items) || data.items.length > data.limit) {
    throw new Error(`${label}: not a page: ${JSON.stringify(data).slice(0, 300)}`);
  }
  return { total: data.total, count: data.items.length };
}

function fail(label: string, status: number, problem: Problem): never {
  throw new Error(`${label}: ${status} ${problem.code}: ${problem.detail}`);
}

/** identity: log in (public, typed body and token). */
async function login(username: string): Promise<string> {
  const { data, error, response } = await api.POST("/api/identity/v1/auth/login", {
    body: { username, password },
  });
  if (error) fail(`login ${username}`, response.status, error);
  return data.access_token;
}

async function main(): Promise<Record<string, unknown>> {
  const seen: Record<string, unknown> = {};

  // identity: no token → the typed problem, narrowed; with one → the account, narrowed by `kind`.
  const anonymous = await api.GET("/api/identity/v1/me", { headers: { "Accept-Language": "en" } });
  const errorIsProblem: Same<typeof anonymous.error, Problem | undefined> = true;
  if (anonymous.error === undefined) {
    throw new Error(`GET /api/identity/v1/me without a token answered ${anonymous.response.status}`);
  }
  const problem: Problem = anonymous.error;
  seen.me_anonymous = {
    status: anonymous.response.status,
    problem_status: problem.status,
    code: problem.code,
    title: problem.title,
    content_type: anonymous.response.headers.get("content-type"),
    error_is_problem: errorIsProblem,
  };

  const citizen = await login("13810000003");
  const me = await api.GET("/api/identity/v1/me", { headers: bearer(citizen) });
  if (me.error) fail("me", me.response.status, me.error);
  const account = me.data.account;
  seen.me = {
    status: me.response.status,
    kind: account.kind,
    name: account.kind === "person" ? account.name : account.username,
  };

  // catalog: a public search, a page of items with their codes.
  const items = await api.GET("/api/catalog/v1/items", { params: { query: { q: "高龄津贴", limit: 5 } } });
  if (items.error) fail("catalog items", items.response.status, items.error);
  seen.catalog_items = { ...page("catalog items", items.data), first_code: items.data.items[0]?.code ?? null };

  // intake: its read model of the catalog, public.
  const offered = await api.GET("/api/intake/v1/catalog-items", { params: { query: { limit: 200 } } });
  if (offered.error) fail("intake catalog-items", offered.response.status, offered.error);
  seen.intake_catalog_items = page("intake catalog-items", offered.data);

  // hotline: a handler's tickets, filtered by a status the document enumerates.
  const handler = await login("handler");
  const tickets = await api.GET("/api/hotline/v1/tickets", {
    headers: bearer(handler),
    // @ts-expect-error -- status is an enum in the document: an unknown one must not compile.
    params: { query: { status: "flying" } },
  });
  seen.hotline_unknown_status = tickets.response.status;
  const open = await api.GET("/api/hotline/v1/tickets", { headers: bearer(handler), params: { query: { limit: 10 } } });
  if (open.error) fail("hotline tickets", open.response.status, open.error);
  seen.hotline_tickets = page("hotline tickets", open.data);

  // evaluation: the evaluator's bad reviews (差评), a page.
  const evaluator = await login("evaluator");
  const reviews = await api.GET("/api/evaluation/v1/bad-reviews", { headers: bearer(evaluator) });
  if (reviews.error) fail("evaluation bad-reviews", reviews.response.status, reviews.error);
  seen.evaluation_bad_reviews = page("evaluation bad-reviews", reviews.data);

  return seen;
}

main().then(
  (seen) => console.log(JSON.stringify(seen)),
  (err: unknown) => {
    console.error(err instanceof Error ? err.stack ?? err.message : String(err));
    process.exitCode = 1;
  },
);
