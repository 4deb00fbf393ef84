"""Guard the repository: hotline-svc's migrations form one line of history."""

from hotline.main import SERVICE_DIR
from yiwang_shared.testing.guards import migration_heads


def test_exactly_one_migration_head() -> None:
    heads = migration_heads(SERVICE_DIR)
    assert len(heads) == 1, f"hotline-svc has {len(heads)} migration heads {heads}: merge them"
