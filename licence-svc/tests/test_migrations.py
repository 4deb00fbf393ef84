"""Guard the repository: one migration head; migrations build exactly the models (both backends);
the committed event schemas are current."""

from licence.events import LICENCE
from licence.main import SERVICE_DIR
from licence.models import Base
from yiwang_shared.testing.guards import (
    downgrade_and_upgrade,
    migration_heads,
    migrations_match_models,
    stale_event_schemas,
)


def test_exactly_one_migration_head() -> None:
    heads = migration_heads(SERVICE_DIR)
    assert len(heads) == 1, f"licence-svc has {len(heads)} migration heads {heads}: merge them"


async def test_migrations_match_models(database_url: str) -> None:
    assert await migrations_match_models(SERVICE_DIR, database_url, [Base.metadata]) == []


async def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    assert await downgrade_and_upgrade(SERVICE_DIR, database_url, [Base.metadata]) == []


def test_event_schemas_are_committed_and_current() -> None:
    assert stale_event_schemas(LICENCE) == [], "run: python -m licence.events"
