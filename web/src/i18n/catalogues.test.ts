import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import zhCN from "./locales/zh-CN.json";
import en from "./locales/en.json";

type Tree = { [key: string]: string | Tree };
const flat = (tree: Tree, prefix = ""): string[] =>
  Object.entries(tree).flatMap(([k, v]) => (typeof v === "string" ? [`${prefix}${k}`] : flat(v, `${prefix}${k}.`)));
const base = (key: string) => key.replace(/_(one|other)$/, "");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\./.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

/** src/i18n/areas/<area>.<lng>.json, by area and language. */
function areaCatalogues(): Map<string, { zh?: Tree; en?: Tree }> {
  const dir = join(__dirname, "areas");
  const areas = new Map<string, { zh?: Tree; en?: Tree }>();
  for (const name of readdirSync(dir)) {
    const m = /^([a-z][\w-]*)\.(zh-CN|en)\.json$/.exec(name);
    if (!m) throw new Error(`unexpected file in src/i18n/areas: ${name}`);
    const entry = areas.get(m[1]!) ?? {};
    entry[m[2] === "en" ? "en" : "zh"] = JSON.parse(readFileSync(join(dir, name), "utf8")) as Tree;
    areas.set(m[1]!, entry);
  }
  return areas;
}

describe("i18n catalogues", () => {
  const zhKeys = new Set(flat(zhCN as Tree).map(base));
  const enKeys = new Set(flat(en as Tree).map(base));

  it("English has every Chinese text and no other", () => {
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it("every area has its texts in English and Chinese, the same keys in both", () => {
    for (const [area, { zh, en: english }] of areaCatalogues()) {
      expect(zh, `${area}.zh-CN.json`).toBeDefined();
      expect(english, `${area}.en.json`).toBeDefined();
      const zk = new Set(flat(zh!).map(base));
      const ek = new Set(flat(english!).map(base));
      expect([...zk].filter((k) => !ek.has(k)), `${area}: missing in English`).toEqual([]);
      expect([...ek].filter((k) => !zk.has(k)), `${area}: only in English`).toEqual([]);
    }
  });

  it("every literal key the code uses is in the catalogues", () => {
    const src = join(__dirname, "..");
    const areas = areaCatalogues();
    const areaKeys = (area: string) => new Set(flat(areas.get(area)?.zh ?? {}).map(base));
    const used = new Set<string>();
    const missing: string[] = [];
    for (const file of sources(src)) {
      const text = readFileSync(file, "utf8");
      // The namespaces a file names (useTranslation("apply") or useTranslation(["apply", ...])).
      const named = [...text.matchAll(/useTranslation\(\s*\[?\s*"([a-z][\w-]*)"/g)].map((m) => m[1]!);
      const known = [zhKeys, ...named.map(areaKeys)];
      const keys = [
        ...[...text.matchAll(/\bt\(\s*"([a-zA-Z][\w.:-]*)"/g)].map((m) => m[1]!),
        ...[...text.matchAll(/label: "([a-z]+\.[\w.]+)"/g)].map((m) => m[1]!),
      ];
      for (const key of keys) {
        used.add(key);
        const [area, inner] = key.includes(":") ? key.split(":", 2) : [null, key];
        const found = area ? areaKeys(area).has(inner!) : known.some((set) => set.has(key));
        if (!found) missing.push(`${file.slice(src.length + 1)}: ${key}`);
      }
    }
    expect(used.size).toBeGreaterThan(50);
    expect(missing).toEqual([]);
  });
});
