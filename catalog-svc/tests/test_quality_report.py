"""The catalogue-wide guide-quality report by department, and its CSV."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from catalog.schemas.elements import ItemElements
from catalog.services.quality import Finding, QualityResult, check, score_of
from catalog.services.quality_report import CSV_HEADER, build_report, to_csv


def result(*findings: Finding) -> QualityResult:
    return QualityResult(findings=list(findings), score=score_of(list(findings)))


def err(check: str, element: str = "x") -> Finding:
    return Finding(check, element, "error", f"问题：{check}", f"建议：{check}")


def warn(check: str, element: str = "x") -> Finding:
    return Finding(check, element, "warning", f"问题：{check}", f"建议：{check}")


def info(check: str) -> Finding:
    return Finding(check, "x", "info", "提示", "建议")


def rows() -> list[dict[str, Any]]:
    return [
        {
            "code": "MZ-001",
            "name": "高龄老年人津贴申领",
            "owner_unit_code": "MZJ",
            "owner_unit_name": "区民政局",
            "result": result(),
        },
        {
            "code": "MZ-002",
            "name": "居家养老服务补贴",
            "owner_unit_code": "MZJ",
            "owner_unit_name": "区民政局",
            "result": result(err("materials.source", "materials[1].source"), warn("faq.missing", "faq")),
        },
        {
            "code": "RS-001",
            "name": "失业登记",
            "owner_unit_code": "RSJ",
            "owner_unit_name": "区人力资源社会保障局",
            "result": result(
                err("phones.same_number", "supervision_phone"),
                err("materials.source", "materials[0].source"),
                err("materials.source", "materials[2].source"),
                warn("hours.format", "hours"),
            ),
        },
        {
            "code": "RS-002",
            "name": "就业困难人员认定",
            "owner_unit_code": "RSJ",
            "owner_unit_name": "区人力资源社会保障局",
            "result": result(warn("faq.missing", "faq"), info("promised_limit.not_halved")),
        },
        {
            "code": "WJ-001",
            "name": "出生医学证明补发",
            "owner_unit_code": "WJW",
            "owner_unit_name": "区卫生健康委",
            "result": result(warn("appointment.not_supported", "appointment_supported")),
        },
    ]


NOW = datetime(2024, 6, 1, 8, 0, tzinfo=UTC)


def test_totals() -> None:
    report = build_report(rows(), now=NOW)
    assert report["generated_at"] == "2024-06-01T08:00:00+00:00"
    t = report["totals"]
    assert t["items"] == 5
    assert t["departments"] == 3
    assert t["errors"] == 4
    assert t["warnings"] == 4
    assert t["items_with_errors"] == 2
    assert t["items_passed"] == 3
    assert t["average_score"] == round((100 + 87 + 67 + 97 + 97) / 5, 1)
    assert t["worst_checks"][0] == {"check": "materials.source", "severity": "error", "count": 3, "items": 2}


def test_departments_worst_first() -> None:
    report = build_report(rows(), now=NOW)
    depts = report["departments"]
    assert [d["unit_code"] for d in depts] == ["RSJ", "MZJ", "WJW"]
    rsj = depts[0]
    assert rsj == {
        "unit_code": "RSJ",
        "unit_name": "区人力资源社会保障局",
        "items": 2,
        "average_score": 82.0,
        "min_score": 67,
        "errors": 3,
        "warnings": 2,
        "items_with_errors": 1,
        "worst_checks": [
            {"check": "materials.source", "severity": "error", "count": 2, "items": 1},
            {"check": "phones.same_number", "severity": "error", "count": 1, "items": 1},
            {"check": "faq.missing", "severity": "warning", "count": 1, "items": 1},
            {"check": "hours.format", "severity": "warning", "count": 1, "items": 1},
        ],
    }
    mzj = depts[1]
    assert mzj["average_score"] == 93.5
    assert mzj["items_with_errors"] == 1
    assert depts[2]["items_with_errors"] == 0


def test_items_worst_first() -> None:
    report = build_report(rows(), now=NOW)
    items = report["items"]
    assert [i["code"] for i in items] == ["RS-001", "MZ-002", "RS-002", "WJ-001", "MZ-001"]
    assert items[0]["score"] == 67
    assert items[0]["errors"] == 3
    assert items[0]["warnings"] == 1
    assert items[0]["unit"] == "区人力资源社会保障局"
    assert items[0]["unit_code"] == "RSJ"
    assert items[-1]["findings"] == []
    assert items[-1]["score"] == 100


def test_report_is_json() -> None:
    report = build_report(rows())
    again = json.loads(json.dumps(report, ensure_ascii=False))
    assert again["totals"]["items"] == 5
    assert datetime.fromisoformat(again["generated_at"]).tzinfo is not None


def test_empty_catalogue() -> None:
    report = build_report([], now=NOW)
    assert report["totals"]["items"] == 0
    assert report["totals"]["average_score"] == 0.0
    assert report["departments"] == []
    assert to_csv(report) == "\ufeff" + ",".join(CSV_HEADER) + "\r\n"


def test_with_real_check_results() -> None:
    draft = ItemElements.model_validate(
        {"name": "草稿", "item_type": "20", "implementing_unit": {"code": "u", "name": "某单位"}, "level": 4}
    )
    res = check(draft, code="U-1")
    report = build_report(
        [{"code": "U-1", "name": "草稿", "owner_unit_code": "U", "owner_unit_name": "某单位", "result": res}]
    )
    assert report["departments"][0]["errors"] == len(res.errors)
    assert len(report["departments"][0]["worst_checks"]) == 5
    lines = to_csv(report).splitlines()
    assert len(lines) == 1 + len(res.findings)


def test_csv_one_row_per_finding_with_bom() -> None:
    text = to_csv(build_report(rows(), now=NOW))
    assert text.startswith("\ufeff")
    assert text.encode("utf-8").startswith(b"\xef\xbb\xbf")
    assert "\r\n" in text
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert (
        tuple(parsed[0])
        == CSV_HEADER
        == (
            "部门",
            "事项编码",
            "事项名称",
            "要素",
            "检查项",
            "严重程度",
            "问题",
            "修改建议",
        )
    )
    body = parsed[1:]
    assert len(body) == 9  # 4 errors + 4 warnings + 1 info
    assert body[0] == [
        "区人力资源社会保障局",
        "RS-001",
        "失业登记",
        "supervision_phone",
        "phones.same_number",
        "错误",
        "问题：phones.same_number",
        "建议：phones.same_number",
    ]
    assert {r[5] for r in body} == {"错误", "警告", "提示"}
    assert [r[1] for r in body][:4] == ["RS-001"] * 4  # worst item first


def test_csv_quotes_and_neutralises_formulas() -> None:
    bad = [
        {
            "code": "X-1",
            "name": '=HYPERLINK("http://evil","点我"),含逗号',
            "owner_unit_code": "U",
            "owner_unit_name": "+区某局",
            "result": result(err("result.name", "result.name")),
        }
    ]
    text = to_csv(build_report(bad, now=NOW))
    row = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))[1]
    assert row[0] == "'+区某局"
    assert row[2] == '\'=HYPERLINK("http://evil","点我"),含逗号'
