"""Alembic environment for evaluation-svc (the body is shared by every service)."""

from evaluation.config import Settings
from evaluation.models import Base
from yiwang_shared.migrations import run_env
from yiwang_shared.tables import infra_metadata, read_model_metadata

run_env(
    [Base.metadata, infra_metadata, read_model_metadata],
    lambda: Settings().resolved_database_url(),
    name="evaluation",
)
