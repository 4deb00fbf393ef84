import type { components } from "../../api/schema";
import type { Problem } from "../../api/problem";

export type ImportReport = components["schemas"]["catalog__ImportReportRead"];
export type ImportRow = components["schemas"]["catalog__ImportRowRead"];
export type ImportProblem = components["schemas"]["catalog__ImportProblemRead"];
export type ImportFormat = components["schemas"]["catalog__ImportFormatRead"];

/** What a report means for the editor: imported, ready to import, problems to fix, or nothing to change. */
export type Verdict = "imported" | "ready" | "problems" | "nothing";

function isReport(value: unknown): value is ImportReport {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return Array.isArray(v.problems) && Array.isArray(v.outcomes) && typeof v.counts === "object" && v.counts !== null;
}

/** The report a refused import carries in its problem (`catalog.import_invalid`: nothing was imported), or null. */
export function reportOfProblem(problem: Problem | null | undefined): ImportReport | null {
  if (!problem || problem.code !== "catalog.import_invalid") return null;
  const report = (problem as Record<string, unknown>).report;
  return isReport(report) ? report : null;
}

/** The report's verdict: problems first (all or nothing), then whether anything would change. */
export function verdictOf(report: ImportReport): Verdict {
  if (report.imported) return "imported";
  if (!report.ok) return "problems";
  const { created, updated, new_versions } = report.counts;
  return created + updated + new_versions > 0 ? "ready" : "nothing";
}

/** A chosen file's identity: a check counts only for the very file about to be imported. */
export function fileKey(file: { name: string; size: number; lastModified: number }): string {
  return `${file.name}\u0000${file.size}\u0000${file.lastModified}`;
}

/** True when "导入" may be pressed: a clean check of this same file that would change something. */
export function mayImport(report: ImportReport | null, checkedKey: string | null, currentKey: string | null): boolean {
  return !!report && report.dry_run && verdictOf(report) === "ready" && checkedKey !== null && checkedKey === currentKey;
}

/** The rows that have problems, in file order (the header, row 1, included when it has one). */
export function rowsWithProblems(problems: ImportProblem[]): number[] {
  return [...new Set(problems.map((p) => p.row))].sort((a, b) => a - b);
}

/** A size in bytes as the editor reads a limit: "2 MB", "512 KB". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
