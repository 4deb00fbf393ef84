import { describe, expect, it } from "vitest";
import { fileKey, formatSize, mayImport, reportOfProblem, rowsWithProblems, verdictOf, type ImportReport } from "./imports";
import type { Problem } from "../../api/problem";

function report(over: Partial<ImportReport> = {}, counts: Partial<ImportReport["counts"]> = {}): ImportReport {
  return {
    file_name: "事项.xlsx",
    format: "xlsx",
    dry_run: true,
    ok: true,
    imported: false,
    counts: { rows: 2, created: 2, updated: 0, new_versions: 0, unchanged: 0, rejected: 0, ...counts },
    problems: [],
    outcomes: [],
    ...over,
  };
}

describe("verdictOf", () => {
  it("says imported, problems, ready or nothing to change", () => {
    expect(verdictOf(report({ imported: true, dry_run: false }))).toBe("imported");
    expect(verdictOf(report({ ok: false, problems: [{ row: 3, column: "事项类型", message: "无效" }] }))).toBe("problems");
    expect(verdictOf(report())).toBe("ready");
    expect(verdictOf(report({}, { created: 0, unchanged: 2 }))).toBe("nothing");
    expect(verdictOf(report({}, { created: 0, new_versions: 1, unchanged: 1 }))).toBe("ready");
  });
});

describe("mayImport", () => {
  const file = { name: "a.csv", size: 10, lastModified: 1 };
  it("needs a clean check of this same file that changes something", () => {
    const key = fileKey(file);
    expect(mayImport(report(), key, key)).toBe(true);
    expect(mayImport(report(), key, fileKey({ ...file, lastModified: 2 }))).toBe(false);
    expect(mayImport(report(), null, key)).toBe(false);
    expect(mayImport(null, key, key)).toBe(false);
    expect(mayImport(report({ ok: false }), key, key)).toBe(false);
    expect(mayImport(report({}, { created: 0, unchanged: 2 }), key, key)).toBe(false);
    expect(mayImport(report({ dry_run: false, imported: true }), key, key)).toBe(false);
  });
});

describe("reportOfProblem", () => {
  const base: Problem = { type: "t", title: "输入有误", status: 422, detail: "导入文件有 1 个问题", code: "catalog.import_invalid" };
  it("takes the report a refused import carries", () => {
    const r = report({ ok: false, dry_run: false });
    expect(reportOfProblem({ ...base, report: r })).toEqual(r);
  });
  it("is null for other problems or a malformed report", () => {
    expect(reportOfProblem({ ...base, code: "catalog.import_empty" })).toBeNull();
    expect(reportOfProblem({ ...base, report: { problems: "x" } })).toBeNull();
    expect(reportOfProblem(null)).toBeNull();
  });
});

describe("rowsWithProblems and formatSize", () => {
  it("lists each row once, in order", () => {
    expect(
      rowsWithProblems([
        { row: 4, column: "a", message: "m" },
        { row: 1, column: "b", message: "m" },
        { row: 4, column: "c", message: "m" },
      ]),
    ).toEqual([1, 4]);
  });
  it("writes sizes as people read limits", () => {
    expect(formatSize(2 * 1024 * 1024)).toBe("2 MB");
    expect(formatSize(512 * 1024)).toBe("512 KB");
    expect(formatSize(100)).toBe("1 KB");
  });
});
