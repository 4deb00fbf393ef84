// The gzip size of the JS and CSS the first page loads: the entry, every chunk it imports statically,
// and the home route's chunk with its own static imports (fetched as soon as the app starts).
// Usage: npm run build && npm run size   (exits 1 when the first page's JS is over the budget)
//        node scripts/size.mjs --dist /tmp/dist-x   (a build made with `vite build --outDir /tmp/dist-x`)
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_KB = 250;
const at = process.argv.indexOf("--dist");
const dist = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : new URL("../dist/", import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(join(dist, ".vite/manifest.json"), "utf8"));
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1);

function closure(keys) {
  const seen = new Set();
  const visit = (key) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const dep of manifest[key]?.imports ?? []) visit(dep);
  };
  keys.forEach(visit);
  return [...seen];
}

const entry = Object.keys(manifest).find((k) => manifest[k].isEntry);
const home = Object.keys(manifest).find((k) => k.endsWith("pages/HomePage.tsx"));
const chunks = closure([entry, home].filter(Boolean));
let js = 0;
let css = 0;
const files = new Set();
for (const key of chunks) {
  files.add(manifest[key].file);
  for (const c of manifest[key].css ?? []) files.add(c);
}
console.log("first page (entry + home route, with their static imports):");
for (const file of [...files].sort()) {
  const size = gz(file);
  if (file.endsWith(".js")) js += size;
  else css += size;
  console.log(`  ${file.padEnd(44)} ${kb(size).padStart(7)} KB gzip`);
}
console.log(`first page JS: ${kb(js)} KB gzip (budget ${BUDGET_KB} KB); CSS: ${kb(css)} KB gzip`);
console.log("lazy chunks (loaded by the pages that need them):");
for (const key of Object.keys(manifest).filter((k) => !chunks.includes(k) && manifest[k].file.endsWith(".js")).sort()) {
  console.log(`  ${manifest[key].file.padEnd(44)} ${kb(gz(manifest[key].file)).padStart(7)} KB gzip`);
}
if (js / 1024 > BUDGET_KB) {
  console.error(`over budget: ${kb(js)} KB > ${BUDGET_KB} KB`);
  process.exit(1);
}
