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

describe("i18n catalogues", () => {
  const zhKeys = new Set(flat(zhCN as Tree).map(base));
  const enKeys = new Set(flat(en as Tree).map(base));

  it("English has every Chinese text and no other", () => {
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it("every literal key the code uses is in the catalogues", () => {
    const src = join(__dirname, "..");
    const used = new Set<string>();
    for (const file of sources(src)) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/\bt\(\s*"([a-zA-Z][\w.]*)"/g)) used.add(m[1]!);
      for (const m of text.matchAll(/label: "([a-z]+\.[\w.]+)"/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zhKeys.has(k))).toEqual([]);
  });
});
