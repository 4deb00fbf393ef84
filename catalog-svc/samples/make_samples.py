"""Regenerate the import samples: items.csv, items.xlsx (valid) and items_invalid.csv.

    python catalog-svc/samples/make_samples.py

The valid rows are new entries (not in the demo catalogue), built from demo templates, so they
import cleanly into a demo-loaded database too; all values are invented (演示).
"""

from __future__ import annotations

import csv
from pathlib import Path

from catalog.demo.data import demo_entries
from catalog.schemas.elements import ItemElements, Material
from catalog.services.importer import COLUMNS, elements_to_row, write_csv, write_xlsx

HERE = Path(__file__).resolve().parent


def sample_entries() -> list[ItemElements]:
    """Three complete entries that pass the quality check."""
    by_name = {e.name: e for e in demo_entries()}
    food = by_name["食品经营许可"]
    cancel = food.model_copy(
        update={
            "name": "食品经营许可证注销",
            "materials": [
                Material(
                    name="食品经营许可注销申请书",
                    source="申请人填写",
                    originals=1,
                    media=["original", "electronic"],
                    blank_form_url="https://zwfw.example.gov.cn/demo/forms/spzx-blank.pdf",
                    sample_form_url="https://zwfw.example.gov.cn/demo/forms/spzx-sample.pdf",
                ),
                *[m for m in food.materials if m.name in ("营业执照", "法定代表人居民身份证")],
                Material(
                    name="食品经营许可证正本和副本", source="区市场监管局", originals=1, media=["original"]
                ),
            ],
            "keywords": ["食品经营许可证", "注销", "餐饮", "关店"],
            "result": food.result.model_copy(update={"name": "食品经营许可注销通知书"}),
        }
    )
    street = by_name["困难残疾人生活补贴和重度残疾人护理补贴"]
    aids = street.model_copy(
        update={
            "name": "残疾人辅助器具适配补贴",
            "implementing_unit": street.implementing_unit.model_copy(
                update={"code": "110105-CL", "name": "区残联"}
            ),
            "level": 4,
            "place": food.place.model_copy(
                update={
                    "address": "北京市朝阳区政务服务中心（示例路1号）二层区残联专区",
                    "room": "二层综合受理窗口 10号",
                }
            )
            if food.place
            else None,
            "keywords": ["辅助器具", "轮椅", "助听器", "残疾人"],
            "result": street.result.model_copy(update={"name": "辅助器具适配补贴审批表"}),
        }
    )
    elder = by_name["高龄老年人津贴"]
    centenarian = elder.model_copy(
        update={
            "name": "百岁老人长寿补助",
            "keywords": ["百岁老人", "长寿补助", "老年人"],
            "result": elder.result.model_copy(update={"name": "百岁老人长寿补助发放通知"}),
        }
    )
    return [ItemElements.model_validate(e.model_dump()) for e in (cancel, aids, centenarian)]


def main() -> None:
    rows = [elements_to_row(e) for e in sample_entries()]
    write_csv(HERE / "items.csv", rows)
    write_xlsx(HERE / "items.xlsx", rows)
    bad = [dict(r) for r in rows[:2]]
    bad[0]["事项类型"] = "许可"  # not a type label
    bad[0]["法定时限单位"] = "周"  # not a unit
    bad[1]["申请材料"] = bad[1]["申请材料"].replace("|1|0|", "|一|0|", 1)  # originals not a number
    bad[1]["行使层级"] = "9"  # out of range
    with (HERE / "items_invalid.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(bad)


if __name__ == "__main__":
    main()
