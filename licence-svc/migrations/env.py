"""Alembic environment for licence-svc (the body is shared by every service)."""

from licence.config import Settings
from licence.models import Base
from yiwang_shared.migrations import run_env
from yiwang_shared.tables import infra_metadata

run_env([Base.metadata, infra_metadata], lambda: Settings().resolved_database_url(), name="licence")
