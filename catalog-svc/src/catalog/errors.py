"""catalog-svc's domain errors, each with a stable code; texts in Chinese, with English for `en`.

catalog.not_editor          403  the caller holds neither catalog_editor nor admin
catalog.not_owner           403  an editor of another unit
catalog.author_cannot_publish 403 publishing a version one drafted, edited or submitted (recorded)
catalog.item_not_found      404  no such item (or a draft the caller may not see)
catalog.version_not_found   404  no such version, or not one the caller may see / not published
catalog.basic_item_not_found 404
catalog.unknown_basic_code  422  an entry created under a basic code that does not exist
catalog.bundle_not_found    404
catalog.unknown_unit        422  implementing unit not in the organisation read model
catalog.invalid_uscc        422  an embedded USCC fails the GB 32100 check
catalog.quality_errors      422  publish refused while the checker finds errors
catalog.duplicate_item      422  an item twice in one bundle
catalog.item_not_published  422  a bundle names an item that is not published
catalog.search_invalid      422  a search the engine cannot run (`SearchQueryError`)
catalog.version_immutable   409  edit of a version that is not a draft
catalog.invalid_transition  409  lifecycle step not allowed from the current status
catalog.open_draft_exists   409  a new version while a draft / in-review version exists
catalog.unit_change         409  an edit that moves the entry to another unit
catalog.standard_mismatch   409  "同一事项同标准" violated; names the differing elements
catalog.import_invalid      422  an import file with problems: nothing imported; `report` lists them
catalog.import_empty        422  an empty import file
catalog.import_unreadable   422  an import file that cannot be read as CSV or XLSX
catalog.import_too_many_rows 422 more rows than one import takes
catalog.import_too_large    413  an import file over the size limit
catalog.import_format       415  an import file that is neither CSV nor XLSX
"""

from __future__ import annotations

from typing import Any

from yiwang_shared.errors import Conflict, Forbidden, NotFound, ProblemError, UnprocessableEntity

from .schemas.elements import LEVELS

#: Version and item statuses as an editor reads them.
STATUS_LABELS: dict[str, str] = {
    "draft": "草稿",
    "in_review": "审核中",
    "published": "已发布",
    "retired": "已停用",
}

#: Lifecycle steps: (Chinese, English, what to do instead in Chinese).
_STEPS: dict[str, tuple[str, str, str]] = {
    "submit": ("提交审核", "submitted", "只有草稿可以提交审核。"),
    "return": ("退回修改", "returned to draft", "只有审核中的版本可以退回修改。"),
    "publish": ("发布", "published", "只有审核中的版本可以发布，请先提交审核。"),
}

#: The elements "同一事项同标准" compares, by name.
_STANDARD_ELEMENTS: dict[str, str] = {
    "name": "事项名称",
    "item_type": "事项类型",
    "legal_basis": "设定依据",
    "materials": "申请材料名称",
}


# --- the declared errors (x-problem-codes lists them) ------------------------------------------


class NotEditor(Forbidden):
    """The caller holds neither catalog_editor nor admin (or may not write this catalogue)."""

    code = "catalog.not_editor"


class NotOwner(Forbidden):
    """An editor of another unit."""

    code = "catalog.not_owner"


class AuthorCannotPublish(Forbidden):
    """Publishing a version one drafted, edited or submitted (the attempt is recorded)."""

    code = "catalog.author_cannot_publish"
    #: The refusal is recorded in the audit trail, so the request commits.
    commit_changes = True


class ItemNotFound(NotFound):
    """No such item (or a draft the caller may not see)."""

    code = "catalog.item_not_found"


class VersionNotFound(NotFound):
    """No such version, or not one the caller may see, or not published."""

    code = "catalog.version_not_found"


class BasicItemNotFound(NotFound):
    """No such basic entry."""

    code = "catalog.basic_item_not_found"


class UnknownBasicCode(UnprocessableEntity):
    """An entry created under a basic code that does not exist."""

    code = "catalog.unknown_basic_code"


class BundleNotFound(NotFound):
    """No such bundle."""

    code = "catalog.bundle_not_found"


class UnknownUnit(UnprocessableEntity):
    """The implementing unit is not in the organisation read model."""

    code = "catalog.unknown_unit"


class InvalidUscc(UnprocessableEntity):
    """An embedded USCC fails the GB 32100 check."""

    code = "catalog.invalid_uscc"


class QualityErrors(UnprocessableEntity):
    """Publishing refused while the guide-quality checker finds errors."""

    code = "catalog.quality_errors"


class DuplicateItem(UnprocessableEntity):
    """An item twice in one bundle."""

    code = "catalog.duplicate_item"


class ItemNotPublished(UnprocessableEntity):
    """A bundle names an item that is not published."""

    code = "catalog.item_not_published"


class VersionImmutable(Conflict):
    """An edit of a version that is not a draft."""

    code = "catalog.version_immutable"


class InvalidTransition(Conflict):
    """A lifecycle step not allowed from the current status."""

    code = "catalog.invalid_transition"


class OpenDraftExists(Conflict):
    """A new version while a draft or in-review version exists."""

    code = "catalog.open_draft_exists"


class UnitChange(Conflict):
    """An edit that moves the entry to another unit."""

    code = "catalog.unit_change"


class StandardMismatch(Conflict):
    """ "同一事项同标准" violated; names the differing elements."""

    code = "catalog.standard_mismatch"


class ImportInvalid(UnprocessableEntity):
    """An import file with problems: nothing imported; `report` lists them."""

    code = "catalog.import_invalid"


class ImportEmpty(UnprocessableEntity):
    """An empty import file."""

    code = "catalog.import_empty"


class ImportUnreadable(UnprocessableEntity):
    """An import file that cannot be read as CSV or XLSX."""

    code = "catalog.import_unreadable"


class ImportTooManyRows(UnprocessableEntity):
    """More rows than one import takes."""

    code = "catalog.import_too_many_rows"


class ImportTooLarge(ProblemError):
    """An import file over the size limit."""

    status = 413
    code = "catalog.import_too_large"


class ImportFormat(ProblemError):
    """An import file that is neither CSV nor XLSX."""

    status = 415
    code = "catalog.import_format"


class SearchQueryError(UnprocessableEntity, ValueError):
    """A search the engine cannot run (empty or over-long query, bad filter or paging)."""

    code = "catalog.search_invalid"

    def __init__(self, detail: str, *, en: str, field: str) -> None:
        super().__init__(detail, en=en, field=field)
        self.field = field


# --- the errors with their texts -------------------------------------------------------------


def status_label(status: str) -> str:
    """The Chinese label of a version or item status."""
    return STATUS_LABELS.get(status, status)


def not_editor() -> NotEditor:
    """The caller may not write the catalogue."""
    return NotEditor(
        "只有实施单位的事项目录编辑人员（catalog_editor）或系统管理员可以修改事项目录。"
        "如需修改，请联系本单位的目录编辑人员。",
        en="Only catalogue editors (catalog_editor) of the implementing unit, or administrators, "
        "may change catalogue entries.",
    )


def not_owner(unit_code: str) -> NotOwner:
    """An editor of another unit."""
    return NotOwner(
        f"该事项由单位 {unit_code} 实施，只有该单位的事项目录编辑人员或系统管理员可以修改或查看其修改记录。",
        en=f"This entry belongs to unit {unit_code}; only that unit's catalogue editors (or an "
        "administrator) may change it.",
    )


def author_cannot_publish(code: str, version_no: int) -> AuthorCannotPublish:
    """The four-eyes rule (审核发布须由起草人以外的人员): the refusal is recorded, so it commits."""
    return AuthorCannotPublish(
        f"事项 {code} 的第 {version_no} 版由您起草、修改或提交审核，不能由您本人审核发布。"
        "发布前须由起草人以外的人员审核：请本单位其他事项目录编辑人员或系统管理员审核发布。"
        "本次发布请求已记入修改记录。",
        en=f"You drafted, edited or submitted version {version_no} of {code}, so you cannot publish it: "
        "a version is published by a reviewer other than its authors. Ask another catalogue editor of "
        "the unit, or an administrator, to review and publish it. This attempt has been recorded.",
    )


def not_own_work_list(unit_code: str, own: str | None) -> NotOwner:
    """An editor asking for another unit's drafts (or an editor whose unit the catalogue does not know)."""
    if own is None:
        return NotOwner(
            "您所在的单位尚未同步到事项目录的组织机构中，暂不能查看草稿和待审核版本，请稍后再试或联系系统管理员。",
            en="Your unit is not (yet) in the catalogue's organisation read model; try again later or "
            "ask an administrator.",
        )
    return NotOwner(
        f"您只能查看本单位（{own}）的草稿和待审核版本；单位 {unit_code} 的由该单位的事项目录编辑人员"
        "或系统管理员查看。",
        en=f"You see your own unit's ({own}) drafts and versions in review; unit {unit_code}'s are for "
        "its catalogue editors or an administrator.",
    )


def item_not_found(code: str) -> ItemNotFound:
    """No such item."""
    return ItemNotFound(
        f"未找到实施编码为 {code} 的事项，请核对编码。",
        en=f"No catalogue item with code {code}.",
    )


def version_not_found(code: str, version_no: int) -> VersionNotFound:
    """No such version."""
    return VersionNotFound(
        f"事项 {code} 没有第 {version_no} 版，请核对版本号。",
        en=f"Item {code} has no version {version_no}.",
    )


def version_not_published(code: str, version_no: int) -> VersionNotFound:
    """A guide asked for a version that was never published."""
    return VersionNotFound(
        f"事项 {code} 的第 {version_no} 版尚未发布。办事指南只提供已发布的版本，请去掉版本号查看现行版本。",
        en=f"Version {version_no} of {code} is not published; guides exist for published versions only.",
    )


def basic_item_not_found(basic_code: str) -> BasicItemNotFound:
    """No such basic entry."""
    return BasicItemNotFound(
        f"基本目录中没有编码为 {basic_code} 的事项，请核对基本编码。",
        en=f"No basic catalogue entry {basic_code}.",
    )


def unknown_basic_code(basic_code: str) -> UnknownBasicCode:
    """An entry created under a basic code that does not exist."""
    return UnknownBasicCode(
        f"基本目录中没有编码为 {basic_code} 的事项。请核对基本编码；不填基本编码则会同时新建基本目录事项。",
        en=f"No basic catalogue entry with code {basic_code!r}; check it, or leave it out to create one.",
        field="basic_code",
    )


def bundle_not_found(code: str) -> BundleNotFound:
    """No such bundle."""
    return BundleNotFound(
        f"未找到编码为 {code} 的“一件事”，请核对编码。",
        en=f"No bundle with code {code}.",
    )


def unknown_unit(unit_code: str) -> UnknownUnit:
    """Implementing unit not in the organisation read model."""
    return UnknownUnit(
        f"实施主体 {unit_code} 不在组织机构目录中。请使用统一身份认证组织机构树中的单位编码"
        "（GET /api/identity/v1/org-units）。",
        en=f"Implementing unit {unit_code!r} is not a known organisation unit; use a unit code from "
        "identity-svc's organisation tree (GET /api/identity/v1/org-units).",
        field="elements.implementing_unit.code",
    )


def invalid_uscc(uscc: str) -> InvalidUscc:
    """An embedded USCC that fails its check character."""
    return InvalidUscc(
        f"实施主体的统一社会信用代码 {uscc} 未通过 GB 32100 校验，请核对后重新填写。",
        en=f"The implementing unit's USCC {uscc!r} fails the GB 32100 check (统一社会信用代码).",
        field="elements.implementing_unit.uscc",
    )


def invalid_transition(code: str, version_no: int, status: str, step: str) -> InvalidTransition:
    """A lifecycle step (`submit`, `return`, `publish`) not allowed from `status`."""
    zh, en, hint = _STEPS[step]
    if status == "retired":
        hint = "已停用的版本不能再变更。"
    return InvalidTransition(
        f"事项 {code} 的第 {version_no} 版当前为“{status_label(status)}”，不能{zh}。{hint}",
        en=f"Version {version_no} of {code} is {status}; it cannot be {en}.",
        status_now=status,
    )


def version_immutable(code: str, version_no: int, status: str) -> VersionImmutable:
    """An edit of a version that is not a draft."""
    then_zh, then_en = (
        ("请新建版本后修改", "start a new version")
        if status in ("published", "retired")
        else ("请先退回修改", "return it to draft first")
    )
    return VersionImmutable(
        f"事项 {code} 的第 {version_no} 版当前为“{status_label(status)}”，只有草稿可以修改，{then_zh}。",
        en=f"Version {version_no} of {code} is {status}; only drafts can be edited ({then_en}).",
        status_now=status,
    )


def unit_change(code: str, owner: str, other: str) -> UnitChange:
    """An edit that would move the entry to another unit."""
    return UnitChange(
        f"事项 {code} 由单位 {owner} 实施，修改时不能改为单位 {other}；如需由该单位实施，请为其新建事项。",
        en=f"Entry {code} belongs to unit {owner}; an edit cannot move it to {other} "
        "(create an entry for that unit instead).",
    )


def quality_errors(code: str, version_no: int, errors: int, **extra: Any) -> QualityErrors:
    """Publishing refused while the guide-quality checker finds errors."""
    return QualityErrors(
        f"事项 {code} 的第 {version_no} 版有 {errors} 项质量错误，暂不能发布。"
        "请按 findings 中的提示逐项修改后重新提交。",
        en=f"Version {version_no} of {code} has {errors} quality error(s); fix them before publishing "
        "(see 'findings').",
        **extra,
    )


def already_retired(code: str) -> InvalidTransition:
    """Retiring an entry twice."""
    return InvalidTransition(
        f"事项 {code} 已停用，无需再次停用。",
        en=f"Item {code} is already retired.",
        status_now="retired",
    )


def not_published(code: str, status: str) -> InvalidTransition:
    """A new version of an entry that is not in force."""
    return InvalidTransition(
        f"事项 {code} 当前为“{status_label(status)}”，新版本只能在已发布的事项上创建。"
        + ("请先发布第 1 版。" if status == "draft" else ""),
        en=f"Item {code} is {status}; a new version starts from a published one.",
        status_now=status,
    )


def open_draft_exists(code: str, open_no: int) -> OpenDraftExists:
    """A new version while another is open."""
    return OpenDraftExists(
        f"事项 {code} 已有尚未发布的第 {open_no} 版，请先修改并发布该版本，再新建版本。",
        en=f"Item {code} already has an open version {open_no}; edit or publish it first.",
        version_no=open_no,
    )


def standard_mismatch(basic_code: str, level: int, differences: list[dict[str, Any]]) -> StandardMismatch:
    """ "同一事项同标准" violated."""
    names_zh = "、".join(_STANDARD_ELEMENTS.get(d["element"], d["element"]) for d in differences)
    names = ", ".join(d["element"] for d in differences)
    return StandardMismatch(
        f"基本编码 {basic_code} 下{LEVELS.get(level, str(level))}的事项须名称、类型、设定依据和"
        f"申请材料名称一致（同一事项同标准），以下要素不一致：{names_zh}。"
        "请按 differences 中列出的内容调整后再提交。",
        en=f"Items under basic code {basic_code} at level {level} must share name, type, legal basis "
        f"and material names (同一事项同标准); these differ: {names}.",
        differences=differences,
    )


def not_catalog_editor(action_zh: str, action_en: str) -> NotEditor:
    """An action for catalogue editors of any unit and administrators (basic entries, bundles)."""
    return NotEditor(
        f"只有事项目录编辑人员（catalog_editor）或系统管理员可以{action_zh}。",
        en=f"Only catalogue editors or administrators may {action_en}.",
    )


def duplicate_item(code: str) -> DuplicateItem:
    """An item twice in one bundle."""
    return DuplicateItem(
        f"事项 {code} 在“一件事”中出现了不止一次，请删除重复的事项编码。",
        en=f"Item {code} appears more than once in the bundle.",
        field="item_codes",
    )


def item_not_published(code: str) -> ItemNotPublished:
    """A bundle names an item that is not published."""
    return ItemNotPublished(
        f"事项 {code} 不是已发布的事项；“一件事”只能包含已发布的事项，请核对事项编码。",
        en=f"Item {code} is not a published catalogue item; bundles hold published items only.",
        field="item_codes",
    )


def import_invalid(problems: int, rows: int, report: dict[str, Any]) -> ImportInvalid:
    """An import refused for its problems (all or nothing): the whole report goes with it."""
    return ImportInvalid(
        f"导入文件有 {problems} 个问题（涉及 {rows} 行），未导入任何事项。"
        "请按 report.problems 中列出的行和列逐项修改后重新上传。",
        en=f"The file has {problems} problem(s) in {rows} row(s); nothing was imported. Fix each one "
        "listed in 'report.problems' (row and column) and upload it again.",
        report=report,
    )


def import_empty(file_name: str) -> ImportEmpty:
    """An empty file."""
    return ImportEmpty(
        f"文件 {file_name} 是空的。请下载导入模板，按模板填写后再上传。",
        en=f"The file {file_name} is empty; fill in the import template and upload it.",
        field="body.file",
    )


def import_unreadable(file_name: str, reason: str) -> ImportUnreadable:
    """A file that is not a readable CSV or XLSX (`reason` says why, in Chinese)."""
    return ImportUnreadable(
        f"无法读取文件 {file_name}：{reason}",
        en=f"The file {file_name} cannot be read as CSV or XLSX; save it again from the spreadsheet "
        "program (XLSX, or CSV UTF-8).",
        field="body.file",
    )


def import_too_many_rows(rows: int, limit: int) -> ImportTooManyRows:
    """More rows than one import takes."""
    return ImportTooManyRows(
        f"文件有 {rows} 行事项，一次最多导入 {limit} 行，请分成几个文件分别导入。",
        en=f"The file has {rows} rows; one import takes at most {limit}. Split it into several files.",
        field="body.file",
    )


def import_too_large(limit: int) -> ImportTooLarge:
    """A file over the size limit."""
    return ImportTooLarge(
        f"文件超过 {limit // 1024 // 1024} MB 的上限，请分成几个文件分别导入。",
        en=f"The file is over the limit of {limit // 1024 // 1024} MB; split it into several files.",
    )


def import_format(file_name: str) -> ImportFormat:
    """A file that is neither CSV nor XLSX."""
    return ImportFormat(
        f"不支持文件 {file_name} 的格式。请上传 XLSX 工作簿或 CSV 文件；旧版 Excel（.xls）文件请先另存为"
        " .xlsx 或“CSV UTF-8（逗号分隔）”。",
        en=f"The file {file_name} is neither an XLSX workbook nor a CSV file; save an old .xls as .xlsx "
        "or CSV UTF-8 first.",
    )
