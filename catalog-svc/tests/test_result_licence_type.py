"""An item's result may name its licence type (证照类型代码): licence-svc issues that licence when a
case of the item is completed. The code's form is checked; the demo's licence results carry theirs."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from catalog.demo.district import district_entries
from catalog.events import ItemPublished
from catalog.schemas.elements import Result


def test_a_result_names_its_licence_type() -> None:
    assert Result(name="食品经营许可证", licence_type_code="SPJYXKZ").licence_type_code == "SPJYXKZ"
    assert Result(name="审批结果通知书").licence_type_code is None
    for bad in ("spjyxkz", "S", "食品", "SP-JY"):
        with pytest.raises(ValidationError):
            Result(name="x", licence_type_code=bad)


def test_the_demo_licence_results_carry_their_codes() -> None:
    results = {e["result"]["name"]: e["result"].get("licence_type_code") for e in district_entries()}
    assert results["食品经营许可证"] == "SPJYXKZ"
    assert results["北京市居住证"] == "BJSJZZ"


def test_the_published_event_carries_it() -> None:
    schema = ItemPublished.model_json_schema()
    assert "licence_type_code" in schema["$defs"]["Result"]["properties"]
