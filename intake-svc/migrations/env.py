"""Alembic environment for intake-svc (the body is shared by every service)."""

from intake.config import Settings
from intake.models import Base
from yiwang_shared.migrations import run_env
from yiwang_shared.providers.nonces import provider_nonce_metadata
from yiwang_shared.tables import infra_metadata, read_model_metadata

run_env(
    [Base.metadata, infra_metadata, read_model_metadata, provider_nonce_metadata],
    lambda: Settings().resolved_database_url(),
    name="intake",
)
