from sample_service.app import metadata

from yiwang_shared.migrations import run_env
from yiwang_shared.tables import infra_metadata

run_env([metadata, infra_metadata], lambda: "", name="sample")
