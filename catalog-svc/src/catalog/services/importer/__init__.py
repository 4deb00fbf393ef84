"""Bulk import of implementation entries (实施清单) from CSV or XLSX: the file format and the CLI.

    python -m catalog.services.importer FILE [--format csv|xlsx] [--publish] [--update] [--dry-run]
                                    [--database-url URL]

The same check and import serve the API (``POST /v1/imports``, `catalog.services.imports`): this
package reads and validates files (`sheet`, `rows`); the service writes the rows (`saving`);
`report` prints the problems, `templates` writes entries back as rows, `cli` is the command line.

Every row is validated first (shape by `ItemElements`, and with ``--publish`` also the quality
checker); if any row is invalid a report table (行 row, 列 column/element, 问题 problem) is
printed, the exit code is 1 and **nothing** is imported. Valid files are imported in **one
transaction** (created as drafts, version 1; with ``--publish`` also published); an error from
the service (e.g. "同一事项同标准" mismatch, an entry that already exists) is reported the same
way and rolls everything back. With ``--update`` a row naming an existing entry (same 事项名称 and
实施主体编码) changes it instead (its draft, or a new draft version; see
`catalog.services.imports`). ``--dry-run`` does the whole import and rolls it back: it checks
everything and writes nothing. The database must be migrated (the service does that when it
starts, or ``python -m catalog.demo``). Exit codes: 0 imported (or dry run passed), 1 invalid
rows / refused, 2 unusable file or arguments.

File format (see also ``samples/README.md``)
============================================

One header row, then one row per entry. CSV is UTF-8 (a BOM is fine, so Excel's "CSV UTF-8"
works) or GB18030/GBK (Excel's plain "CSV" on a Chinese Windows); XLSX uses the first sheet.
Column order does not matter; unknown columns are an error; empty cells mean "not given". Row
numbers in the report are the file's line/row numbers (the header is row 1). Codes or their
Chinese labels are accepted for enumerations.

Scalar columns::

    事项名称*  事项类型* (01…10, 20 or 行政许可…)  基本编码 (reuse a basic entry)
    实施主体编码*  实施主体名称*  实施主体统一社会信用代码  行使层级* (1–7 or 县级（区级）…)
    权力来源 (1–5, 9 or 法定本级行使…)  办件类型 (1/2/9 or 即办件/承诺件/其他)
    法定时限  法定时限单位  法定时限说明  承诺时限  承诺时限单位  承诺时限说明
        (units: 工作日 / 自然日 / 小时, or working_day / natural_day / hour; 0 = 当场办结)
    办理地点 (full address)  办理地点街道  办理地点门牌号  办理窗口 (room or window)
    办理时间  咨询电话  监督电话  受理条件  数量限制  无特殊环节 (是/否)  流程图
    到现场次数  到现场原因  是否收费 (是/否)  网办深度 (I–IV)  是否支持预约  是否支持网上支付
    是否支持物流快递  结果名称  结果样本  社区事项类别 (受理类/代收代办类/咨询预审类)  演示数据 (是/否)

List columns: entries separated by ``;`` (ASCII semicolon), fields inside an entry by ``|``;
trailing fields may be left out. ``;`` and ``|`` cannot appear inside values (use ``；``)::

    服务对象   自然人;企业法人            (codes 1–6 or labels)
    办理形式   窗口办理;网上办理          (codes 1–4 or labels)
    关键词     低保;社会救助
    主题       社会救助;民政
    设定依据   法律名称|条款号|条款内容
    申请材料   名称|来源|原件份数|复印件份数|介质,介质|必要性|情形条件|免提交来源|空白表格|示例样表|材料要求
               (介质: 原件,复印件,电子版; 必要性: 必要 / 情形必要 (or required / conditional))
    办理流程   环节|办理人员|时限|时限单位|说明|时限说明   (环节: 受理/审核/审批/办结/送达)
    特殊环节   类型|说明|时限|时限单位|时限说明  (类型: 听证/现场勘查/专家评审/评估/其他特殊环节)
    收费项目   名称|标准|依据
    常见问题   问题|答案

Problems name the column, and for list columns the entry and field, 1-based:
``申请材料[2].原件份数``.
"""

from .cli import main, run
from .columns import (
    BASIC_CODE_COLUMN,
    COLUMN_HELP,
    COLUMNS,
    FIELD_SEP,
    LIST_COLUMNS,
    LIST_SEP,
    REQUIRED_COLUMNS,
    SCALAR_COLUMNS,
    ImportResult,
    ParsedRow,
    Problem,
)
from .report import format_report
from .rows import (
    column_of,
    finding_loc,
    governed_paths,
    merge_elements,
    parse_row,
    pydantic_message,
    row_to_dict,
    validate_rows,
)
from .saving import import_rows
from .sheet import UnreadableFile, decode_csv, detect_format, read_rows, read_table, sniff_format
from .templates import elements_to_row, template_csv, template_xlsx, write_csv, write_xlsx

__all__ = [
    "BASIC_CODE_COLUMN",
    "COLUMNS",
    "COLUMN_HELP",
    "FIELD_SEP",
    "LIST_COLUMNS",
    "LIST_SEP",
    "REQUIRED_COLUMNS",
    "SCALAR_COLUMNS",
    "ImportResult",
    "ParsedRow",
    "Problem",
    "UnreadableFile",
    "column_of",
    "decode_csv",
    "detect_format",
    "elements_to_row",
    "finding_loc",
    "format_report",
    "governed_paths",
    "import_rows",
    "main",
    "merge_elements",
    "parse_row",
    "pydantic_message",
    "read_rows",
    "read_table",
    "row_to_dict",
    "run",
    "sniff_format",
    "template_csv",
    "template_xlsx",
    "validate_rows",
    "write_csv",
    "write_xlsx",
]
