"""Guard the repository: intake-svc's migrations form one line of history and build exactly what
the models describe (both backends), down and up again."""

from intake.config import SERVICE_DIR
from intake.models import Base
from yiwang_shared.providers.nonces import provider_nonce_metadata
from yiwang_shared.tables import read_model_metadata
from yiwang_shared.testing.guards import downgrade_and_upgrade, migration_heads, migrations_match_models


def test_exactly_one_migration_head() -> None:
    heads = migration_heads(SERVICE_DIR)
    assert len(heads) == 1, f"intake-svc has {len(heads)} migration heads {heads}: merge them"


async def test_migrations_match_models(database_url: str) -> None:
    assert (
        await migrations_match_models(
            SERVICE_DIR, database_url, [Base.metadata, read_model_metadata, provider_nonce_metadata]
        )
        == []
    )


async def test_downgrade_to_base_and_up_again(database_url: str) -> None:
    assert (
        await downgrade_and_upgrade(
            SERVICE_DIR, database_url, [Base.metadata, read_model_metadata, provider_nonce_metadata]
        )
        == []
    )
