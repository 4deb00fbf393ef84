"""The roles identity-svc grants are exactly the roles every service checks for."""

from typing import get_args

from identity.schemas.accounts import StaffRoleName
from yiwang_shared.auth import STAFF_ROLES


def test_staff_roles_match_shared_list() -> None:
    assert set(get_args(StaffRoleName)) == STAFF_ROLES
