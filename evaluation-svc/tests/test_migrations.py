"""Guard the repository: evaluation-svc's migrations form one line of history."""

from alembic.script import ScriptDirectory

from evaluation.main import SERVICE_DIR
from yiwang_shared.migrations import alembic_config


def test_exactly_one_migration_head() -> None:
    script = ScriptDirectory.from_config(alembic_config(SERVICE_DIR, "sqlite+aiosqlite://"))
    heads = script.get_heads()
    assert len(heads) == 1, f"evaluation-svc has {len(heads)} migration heads {heads}: merge them"
