"""The merged document lists every problem code a client may meet: the gateway's own codes are all
in GATEWAY_CODES (found by reading the gateway's source), and the services' lists are carried over."""

from __future__ import annotations

import ast
from pathlib import Path

from gateway.openapi import merge_openapi
from gateway.problems import GATEWAY_CODES

SOURCE = Path(__file__).resolve().parents[1] / "src" / "gateway"


def _codes_in_source() -> set[str]:
    """Dotted codes passed as `code=` or paired with a status (`status, code = 503, "gateway.…"`)."""
    codes: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            values: list[ast.expr] = []
            if isinstance(node, ast.keyword) and node.arg == "code":
                values = [node.value]
            elif isinstance(node, ast.Tuple):
                values = list(node.elts)
            strings = [v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
            codes |= {text for text in strings if text.startswith(("gateway.", "auth."))}
    return codes


def test_every_gateway_code_is_listed() -> None:
    found = _codes_in_source()
    assert {"gateway.rate_limited", "gateway.upstream_timeout"} <= found, "the scan is broken"
    missing = sorted(code for code in found if code not in GATEWAY_CODES)
    assert not missing, f"add these to GATEWAY_CODES: {missing}"


def test_merged_document_lists_gateway_and_service_codes() -> None:
    service_doc = {
        "openapi": "3.1.0",
        "info": {"title": "intake", "version": "1"},
        "paths": {},
        "x-problem-codes": [
            {"code": "intake.application_not_found", "status": 404, "meaning": "No such application."},
            {"code": "not_found", "status": 404, "meaning": "Not found."},
        ],
    }
    other = {
        **service_doc,
        "x-problem-codes": [{"code": "not_found", "status": 404, "meaning": "Not found."}],
    }
    merged = merge_openapi({"intake": service_doc, "hotline": other})
    codes = [entry["code"] for entry in merged["x-problem-codes"]]
    assert codes[: len(GATEWAY_CODES)] == list(GATEWAY_CODES)
    assert codes.count("not_found") == 1
    assert "intake.application_not_found" in codes
