// Exit 1 when two files differ (used by `npm run check:api`: is src/api/schema.d.ts current?).
import { readFileSync } from "node:fs";

const [committed, fresh] = process.argv.slice(2);
if (readFileSync(committed, "utf8") !== readFileSync(fresh, "utf8")) {
  console.error(`${committed} is not generated from the current ../docs/api/openapi.json: run npm run gen:api`);
  process.exit(1);
}
console.log(`${committed} matches ../docs/api/openapi.json`);
