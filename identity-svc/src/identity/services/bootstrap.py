"""The first administrator: only administrators create staff, so someone must create the first.

    IDENTITY_BOOTSTRAP_PASSWORD=... python -m identity.services.bootstrap \\
        --username admin --name 系统管理员 --unit-code 110105 --unit-name 北京市朝阳区

Runs the migrations, creates the district unit if no unit has that code, and the admin account
in it if the username is free. Without IDENTITY_BOOTSTRAP_PASSWORD the password is prompted for.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import sys

from pydantic import ValidationError

from yiwang_shared.db import Database
from yiwang_shared.migrations import migrate

from ..config import SERVICE_DIR, Settings
from ..repositories.accounts import AccountRepository
from ..repositories.org_units import OrgUnitRepository
from ..schemas.accounts import StaffCreate
from ..schemas.org_units import OrgUnitCreate
from .accounts import create_staff
from .org_units import create_org_unit
from .passwords import Passwords


async def bootstrap_admin(
    database_url: str,
    *,
    username: str,
    name: str,
    password: str,
    unit_code: str,
    unit_name: str,
    settings: Settings | None = None,
) -> str | None:
    """Create the district unit (if missing) and an admin in it; the admin's id, or None if the
    username is taken already."""
    await migrate(SERVICE_DIR, database_url)
    passwords = Passwords.from_settings(settings or Settings())
    db = Database(database_url)
    try:
        async with db.transaction() as session:
            if await AccountRepository(session).find_staff_by_username(username):
                return None
            unit = await OrgUnitRepository(session).find_by_code(unit_code)
            if unit is None:
                unit = await create_org_unit(
                    session, data=OrgUnitCreate(code=unit_code, name=unit_name, kind="district")
                )
            staff = await create_staff(
                session,
                data=StaffCreate.model_validate(
                    {
                        "username": username,
                        "name": name,
                        "org_unit_id": unit.id,
                        "roles": ["admin"],
                        "password": password,
                    }
                ),
                passwords=passwords,
            )
            return staff.id
    finally:
        await db.dispose()


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(prog="python -m identity.services.bootstrap", description=__doc__)
    parser.add_argument("--username", default="admin")
    parser.add_argument("--name", default="系统管理员")
    parser.add_argument("--unit-code", required=True, help="District unit code, e.g. 110105")
    parser.add_argument("--unit-name", required=True, help="District name, e.g. 北京市朝阳区")
    parser.add_argument("--database-url", default=None, help="Default: IDENTITY_DATABASE_URL")
    args = parser.parse_args(argv)
    password = os.environ.get("IDENTITY_BOOTSTRAP_PASSWORD") or getpass.getpass("Password: ")
    settings = Settings()
    try:
        created = asyncio.run(
            bootstrap_admin(
                args.database_url or settings.resolved_database_url(),
                username=args.username,
                name=args.name,
                password=password,
                unit_code=args.unit_code,
                unit_name=args.unit_name,
                settings=settings,
            )
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = ".".join(str(p) for p in err["loc"]) or "input"
            sys.stderr.write(f"{field}: {err['msg']}\n")
        return 2
    if created is None:
        sys.stdout.write(f"A staff account named {args.username!r} exists already; nothing done.\n")
    else:
        sys.stdout.write(f"Administrator {args.username!r} created.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
