"""hotline-svc tables: tickets, contacts, attachments, history, dispatch and time-limit rules,
dispatch records, extensions, response dues, call-backs, knowledge base, Open311 keys, org and
catalogue read models; the default categories and time-limit rules.

Revision ID: hotline_0002
Revises: hotline_0001
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "hotline_0002"
down_revision: str | None = "hotline_0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "catalog_items",
        sa.Column("item_code", sa.String(length=50), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_unit_code", sa.String(length=64), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("item_code", name=op.f("pk_catalog_items")),
    )
    op.create_table(
        "categories",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("group_name", sa.String(length=100), nullable=False),
        sa.Column("time_limit_rule", sa.String(length=40), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_categories")),
    )
    op.create_table(
        "kb_entries",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("catalog_item_code", sa.String(length=50), nullable=True),
        sa.Column("owner_unit_code", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("published_version_no", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("withdrawn_reason", sa.String(length=200), nullable=True),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_entries")),
        sa.UniqueConstraint("catalog_item_code", name=op.f("uq_kb_entries_catalog_item_code")),
    )
    with op.batch_alter_table("kb_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_entries_expires_on"), ["expires_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_kb_entries_status"), ["status"], unique=False)

    op.create_table(
        "open311_keys",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("key_sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_open311_keys")),
        sa.UniqueConstraint("key_sha256", name=op.f("uq_open311_keys_key_sha256")),
    )
    op.create_table(
        "org_units",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.String(length=36), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_org_units")),
        sa.UniqueConstraint("code", name=op.f("uq_org_units_code")),
    )
    op.create_table(
        "tickets",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("request_type", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("category_code", sa.String(length=40), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("complex", sa.Boolean(), nullable=False),
        sa.Column("caller_name", sa.String(length=100), nullable=True),
        sa.Column("caller_phone", sa.String(length=30), nullable=True),
        sa.Column("citizen_subject", sa.String(length=64), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("address", sa.String(length=300), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("street_code", sa.String(length=64), nullable=True),
        sa.Column("community_code", sa.String(length=64), nullable=True),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("close_reason", sa.String(length=30), nullable=True),
        sa.Column("close_note", sa.Text(), nullable=True),
        sa.Column("diversion_reason", sa.String(length=30), nullable=True),
        sa.Column("merged_into_id", sa.String(length=36), nullable=True),
        sa.Column("kb_entry_id", sa.String(length=36), nullable=True),
        sa.Column("lead_unit_code", sa.String(length=64), nullable=True),
        sa.Column("co_unit_codes", sa.JSON(), nullable=False),
        sa.Column("first_unit_code", sa.String(length=64), nullable=True),
        sa.Column("coordination", sa.Boolean(), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("time_limit_rule", sa.String(length=40), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("response_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("overdue_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("replied_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reply", sa.Text(), nullable=True),
        sa.Column("reopen_count", sa.Integer(), nullable=False),
        sa.Column("token", sa.String(length=36), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["tickets.id"], name=op.f("fk_tickets_merged_into_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("number", name=op.f("uq_tickets_number")),
        sa.UniqueConstraint("token", name=op.f("uq_tickets_token")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_category_code"), ["category_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_citizen_subject"), ["citizen_subject"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_tickets_lead_unit", ["lead_unit_code", "status"], unique=False)
        batch_op.create_index("ix_tickets_status_due", ["status", "due_at"], unique=False)

    op.create_table(
        "time_limit_rules",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_time_limit_rules")),
    )
    op.create_table(
        "callbacks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("resolved", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("called_by", sa.String(length=64), nullable=False),
        sa.Column("called_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_callbacks_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callbacks")),
    )
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_callbacks_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index("ix_callbacks_unit_at", ["unit_code", "called_at"], unique=False)

    op.create_table(
        "dispatch_records",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("mode", sa.String(length=10), nullable=False),
        sa.Column("rule_id", sa.String(length=36), nullable=True),
        sa.Column("dispatched_by", sa.String(length=64), nullable=False),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dispute_deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("returned_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_dispatch_records_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_records")),
    )
    with op.batch_alter_table("dispatch_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_records_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index("ix_dispatch_records_unit", ["unit_code", "ticket_id"], unique=False)

    op.create_table(
        "dispatch_rules",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("category_code", sa.String(length=40), nullable=False),
        sa.Column("area_code", sa.String(length=64), nullable=False),
        sa.Column("lead_unit_code", sa.String(length=64), nullable=False),
        sa.Column("co_unit_codes", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["category_code"], ["categories.code"], name=op.f("fk_dispatch_rules_category_code_categories")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispatch_rules")),
        sa.UniqueConstraint(
            "category_code", "area_code", name=op.f("uq_dispatch_rules_category_code_area_code")
        ),
    )
    with op.batch_alter_table("dispatch_rules", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dispatch_rules_category_code"), ["category_code"], unique=False)

    op.create_table(
        "extensions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("amount", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("old_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("new_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_extensions_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_extensions")),
    )
    with op.batch_alter_table("extensions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_extensions_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "kb_terms",
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("term", sa.String(length=60), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["kb_entries.id"], name=op.f("fk_kb_terms_entry_id_kb_entries")
        ),
        sa.PrimaryKeyConstraint("entry_id", "term", name=op.f("pk_kb_terms")),
    )
    with op.batch_alter_table("kb_terms", schema=None) as batch_op:
        batch_op.create_index("ix_kb_terms_term", ["term", "entry_id"], unique=False)

    op.create_table(
        "kb_usages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("used_by", sa.String(length=64), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["kb_entries.id"], name=op.f("fk_kb_usages_entry_id_kb_entries")
        ),
        sa.ForeignKeyConstraint(["ticket_id"], ["tickets.id"], name=op.f("fk_kb_usages_ticket_id_tickets")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_usages")),
    )
    with op.batch_alter_table("kb_usages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_usages_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "kb_versions",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("entry_id", sa.String(length=36), nullable=False),
        sa.Column("version_no", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("item_codes", sa.JSON(), nullable=False),
        sa.Column("review_on", sa.Date(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("reviewer", sa.String(length=64), nullable=True),
        sa.Column("review_note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["kb_entries.id"], name=op.f("fk_kb_versions_entry_id_kb_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_versions")),
        sa.UniqueConstraint("entry_id", "version_no", name=op.f("uq_kb_versions_entry_id_version_no")),
    )
    with op.batch_alter_table("kb_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kb_versions_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "response_dues",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("unit_code", sa.String(length=64), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_response_dues_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_dues")),
        sa.UniqueConstraint("ticket_id", "round", name=op.f("uq_response_dues_ticket_id_round")),
    )
    with op.batch_alter_table("response_dues", schema=None) as batch_op:
        batch_op.create_index("ix_response_dues_unit_due", ["unit_code", "due_at"], unique=False)

    op.create_table(
        "ticket_attachments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_attachments_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_attachments")),
    )
    with op.batch_alter_table("ticket_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_attachments_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "ticket_contacts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("source_ticket_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("citizen_subject", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_contacts_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_contacts")),
    )
    with op.batch_alter_table("ticket_contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_contacts_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "ticket_history",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("ticket_id", sa.String(length=36), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("actor_unit", sa.String(length=64), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"], ["tickets.id"], name=op.f("fk_ticket_history_ticket_id_tickets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_history")),
    )
    with op.batch_alter_table("ticket_history", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_history_ticket_id"), ["ticket_id"], unique=False)

    _seed_defaults()


NOISE_ATTRIBUTES = [
    {
        "variable": True,
        "code": "noise_period",
        "datatype": "singlevaluelist",
        "required": True,
        "datatype_description": "白天 (06:00–22:00) 或夜间 (22:00–06:00)",
        "order": 1,
        "description": "噪声发生的时段",
        "values": [{"key": "day", "name": "白天"}, {"key": "night", "name": "夜间"}],
    }
]
HEATING_ATTRIBUTES = [
    {
        "variable": True,
        "code": "indoor_temperature",
        "datatype": "number",
        "required": False,
        "datatype_description": "摄氏度，例如 16",
        "order": 1,
        "description": "室内温度",
        "values": [],
    }
]

#: (code, name, group, time-limit rule, description, Open311 attributes)
DEFAULT_CATEGORIES = [
    ("water", "供水", "公用事业", "utilities", "停水、水压低、水质问题、管道漏水", []),
    ("power", "供电", "公用事业", "utilities", "停电、电压不稳、线路隐患", []),
    ("gas", "燃气", "公用事业", "utilities", "燃气中断、燃气泄漏隐患（紧急情况请拨打燃气抢修电话）", []),
    ("heating", "供暖", "公用事业", "utilities", "暖气不热、供暖中断", HEATING_ATTRIBUTES),
    ("noise", "噪声扰民", "城市管理", "general", "施工、商业、生活噪声", NOISE_ATTRIBUTES),
    ("sanitation", "环境卫生", "城市管理", "general", "垃圾清运、公共区域卫生", []),
    ("roads", "道路设施", "城市管理", "general", "道路破损、井盖缺失、路灯不亮", []),
    ("property", "物业管理", "住房", "general", "物业服务、电梯、公共设施维修", []),
    ("social_security", "社会保障", "民生保障", "general", "社保、就业、退休待遇", []),
    ("civil_affairs", "民政救助", "民生保障", "general", "低保、临时救助、养老服务", []),
    ("medical_insurance", "医疗保障", "民生保障", "general", "医保报销、参保缴费", []),
    ("market", "市场监管与消费维权", "市场监管", "general", "消费纠纷、食品安全、价格问题", []),
    ("public_service", "政务服务", "政务服务", "general", "办事难、办不成事、服务态度", []),
    ("other", "其他", "其他", "general", "其他诉求", []),
]

#: (code, name, amount, unit): the defaults of the domain; editable through the API.
DEFAULT_TIME_LIMITS = [
    ("urgent", "紧急诉求", 2, "hours"),
    ("utilities", "水电气热", 24, "hours"),
    ("general", "一般诉求", 7, "natural_days"),
    ("complex", "疑难复杂诉求", 15, "natural_days"),
]


def _seed_defaults() -> None:
    now = datetime.now(UTC)
    rules = sa.table(
        "time_limit_rules",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("amount", sa.Integer),
        sa.column("unit", sa.String),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        rules,
        [
            {"code": c, "name": n, "amount": a, "unit": u, "updated_at": now}
            for c, n, a, u in DEFAULT_TIME_LIMITS
        ],
    )
    categories = sa.table(
        "categories",
        sa.column("code", sa.String),
        sa.column("name", sa.String),
        sa.column("description", sa.Text),
        sa.column("group_name", sa.String),
        sa.column("time_limit_rule", sa.String),
        sa.column("attributes", sa.JSON),
        sa.column("active", sa.Boolean),
    )
    op.bulk_insert(
        categories,
        [
            {
                "code": c,
                "name": n,
                "group_name": g,
                "time_limit_rule": r,
                "description": d,
                "attributes": attrs,
                "active": True,
            }
            for c, n, g, r, d, attrs in DEFAULT_CATEGORIES
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table("ticket_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_history_ticket_id"))

    op.drop_table("ticket_history")
    with op.batch_alter_table("ticket_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_contacts_ticket_id"))

    op.drop_table("ticket_contacts")
    with op.batch_alter_table("ticket_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_attachments_ticket_id"))

    op.drop_table("ticket_attachments")
    with op.batch_alter_table("response_dues", schema=None) as batch_op:
        batch_op.drop_index("ix_response_dues_unit_due")

    op.drop_table("response_dues")
    with op.batch_alter_table("kb_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_versions_entry_id"))

    op.drop_table("kb_versions")
    with op.batch_alter_table("kb_usages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_usages_entry_id"))

    op.drop_table("kb_usages")
    with op.batch_alter_table("kb_terms", schema=None) as batch_op:
        batch_op.drop_index("ix_kb_terms_term")

    op.drop_table("kb_terms")
    with op.batch_alter_table("extensions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_extensions_ticket_id"))

    op.drop_table("extensions")
    with op.batch_alter_table("dispatch_rules", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dispatch_rules_category_code"))

    op.drop_table("dispatch_rules")
    with op.batch_alter_table("dispatch_records", schema=None) as batch_op:
        batch_op.drop_index("ix_dispatch_records_unit")
        batch_op.drop_index(batch_op.f("ix_dispatch_records_ticket_id"))

    op.drop_table("dispatch_records")
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.drop_index("ix_callbacks_unit_at")
        batch_op.drop_index(batch_op.f("ix_callbacks_ticket_id"))

    op.drop_table("callbacks")
    op.drop_table("time_limit_rules")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index("ix_tickets_status_due")
        batch_op.drop_index("ix_tickets_lead_unit")
        batch_op.drop_index(batch_op.f("ix_tickets_created_at"))
        batch_op.drop_index(batch_op.f("ix_tickets_citizen_subject"))
        batch_op.drop_index(batch_op.f("ix_tickets_category_code"))

    op.drop_table("tickets")
    op.drop_table("org_units")
    op.drop_table("open311_keys")
    with op.batch_alter_table("kb_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_kb_entries_status"))
        batch_op.drop_index(batch_op.f("ix_kb_entries_expires_on"))

    op.drop_table("kb_entries")
    op.drop_table("categories")
    op.drop_table("catalog_items")
