"""Catalogue-wide guide-quality report by department (办事指南质量报告).

`build_report(rows)` takes one row per entry — ``{"code", "name", "owner_unit_code",
"owner_unit_name", "result": QualityResult}`` — and returns JSON-ready data: totals, one block
per department (worst average score first) and one per item (lowest score first, then most
errors). `to_csv(report)` writes one line per finding for the people who fix them, with a UTF-8
BOM so Excel opens the Chinese correctly. Pure code: no database, no web framework.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from catalog.services.quality import QualityResult
from yiwang_shared.spreadsheets import csv_text

SEVERITY_LABELS: dict[str, str] = {"error": "错误", "warning": "警告", "info": "提示"}
CSV_HEADER = ("部门", "事项编码", "事项名称", "要素", "检查项", "严重程度", "问题", "修改建议")
WORST_CHECKS = 5


def _average(scores: list[int]) -> float:
    return round(sum(scores) / len(scores), 1) if scores else 0.0


def _worst_checks(findings: Iterable[Mapping[str, Any]], limit: int = WORST_CHECKS) -> list[dict[str, Any]]:
    """The most frequent errors and warnings: errors first, then by count, then by id."""
    counts: Counter[tuple[str, str]] = Counter()
    items: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in findings:
        if f["severity"] == "info":
            continue
        key = (f["check"], f["severity"])
        counts[key] += 1
        items[key].add(f["item_code"])
    ranked = sorted(counts.items(), key=lambda kv: (kv[0][1] != "error", -kv[1], kv[0][0]))
    return [
        {"check": check, "severity": severity, "count": n, "items": len(items[(check, severity)])}
        for (check, severity), n in ranked[:limit]
    ]


def build_report(rows: list[dict[str, Any]], *, now: datetime | None = None) -> dict[str, Any]:
    """Aggregate per-entry quality results by owning department."""
    items: list[dict[str, Any]] = []
    by_unit: dict[str, dict[str, Any]] = {}
    for row in rows:
        result: QualityResult = row["result"]
        code = str(row["code"])
        unit_code = str(row["owner_unit_code"])
        findings = [{**f.to_dict(), "item_code": code} for f in result.findings]
        item = {
            "code": code,
            "name": row["name"],
            "unit": row["owner_unit_name"],
            "unit_code": unit_code,
            "score": result.score,
            "passed": result.passed,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
            "findings": [{k: v for k, v in f.items() if k != "item_code"} for f in findings],
        }
        items.append(item)
        dept = by_unit.setdefault(
            unit_code,
            {"unit_code": unit_code, "unit_name": row["owner_unit_name"], "scores": [], "findings": []},
        )
        dept["scores"].append(result.score)
        dept["findings"].extend(findings)
        dept.setdefault("errors", 0)
        dept.setdefault("warnings", 0)
        dept.setdefault("items_with_errors", 0)
        dept["errors"] += item["errors"]
        dept["warnings"] += item["warnings"]
        dept["items_with_errors"] += 0 if result.passed else 1

    departments = [
        {
            "unit_code": d["unit_code"],
            "unit_name": d["unit_name"],
            "items": len(d["scores"]),
            "average_score": _average(d["scores"]),
            "min_score": min(d["scores"]),
            "errors": d["errors"],
            "warnings": d["warnings"],
            "items_with_errors": d["items_with_errors"],
            "worst_checks": _worst_checks(d["findings"]),
        }
        for d in by_unit.values()
    ]
    departments.sort(key=lambda d: (d["average_score"], -d["errors"], d["unit_code"]))
    items.sort(key=lambda i: (i["score"], -i["errors"], -i["warnings"], i["code"]))

    all_findings = [f for d in by_unit.values() for f in d["findings"]]
    totals = {
        "items": len(items),
        "departments": len(departments),
        "average_score": _average([i["score"] for i in items]),
        "errors": sum(i["errors"] for i in items),
        "warnings": sum(i["warnings"] for i in items),
        "items_with_errors": sum(1 for i in items if not i["passed"]),
        "items_passed": sum(1 for i in items if i["passed"]),
        "worst_checks": _worst_checks(all_findings),
    }
    return {
        "generated_at": (now or datetime.now(UTC)).isoformat(),
        "totals": totals,
        "departments": departments,
        "items": items,
    }


def to_csv(report: Mapping[str, Any]) -> str:
    """One row per finding: 部门, 事项编码, 事项名称, 要素, 检查项, 严重程度, 问题, 修改建议.

    Starts with a UTF-8 BOM; lines end in CRLF. Items appear in report order (worst first).
    """
    return csv_text(
        CSV_HEADER,
        (
            [
                item["unit"],
                item["code"],
                item["name"],
                f["element"],
                f["check"],
                SEVERITY_LABELS.get(f["severity"], f["severity"]),
                f["message"],
                f["hint"],
            ]
            for item in report["items"]
            for f in item.get("findings", [])
        ),
    )
