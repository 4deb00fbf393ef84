"""Alembic environment for identity-svc (the body is shared by every service)."""

from identity.config import Settings
from identity.models import Base
from yiwang_shared.migrations import run_env
from yiwang_shared.tables import infra_metadata

run_env(
    [Base.metadata, infra_metadata],
    lambda: Settings().resolved_database_url(),
    name="identity",
)
