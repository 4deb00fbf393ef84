"""Who may configure a hall, call its numbers and read its tickets and indicators.

- administrators configure halls; supervisors read the configuration;
- window clerks call, recall, serve, complete and mark no-shows — at their own window (their org
  unit is the window's), for their hall's tickets only, and only for tickets called to their window;
- a ticket is seen by the person who took it (logged in), the hall's window clerks, supervisors
  and administrators; anybody else gets 404, as if it did not exist;
- the waiting-time indicator: supervisors, evaluators and administrators.
"""

from __future__ import annotations

from yiwang_shared.auth import Principal

from .. import errors as intake_errors
from ..models.queue import QueueTicket
from .access import require_role

HALL_ADMIN_ROLES = ("admin",)
HALL_READER_ROLES = ("supervisor", "admin")
CLERK_ROLES = ("window_clerk",)
OVERSIGHT_ROLES = frozenset({"supervisor", "admin"})
INDICATOR_ROLES = ("supervisor", "evaluator", "admin")

CONFIGURE = intake_errors.Deed("修改大厅排队叫号配置", "change a hall's queue configuration")
READ_CONFIG = intake_errors.Deed("查看大厅排队叫号配置", "read a hall's queue configuration")
CALL = intake_errors.Deed("叫号", "call queue numbers")
LIST = intake_errors.Deed("查看大厅排队号", "list a hall's queue tickets")
INDICATOR = intake_errors.Deed("查看限时等候指标", "read the waiting-time indicator")


def require_hall_admin(actor: Principal) -> None:
    """403 unless an administrator."""
    require_role(actor, CONFIGURE, HALL_ADMIN_ROLES)


def require_hall_reader(actor: Principal) -> None:
    """403 unless a supervisor or an administrator."""
    require_role(actor, READ_CONFIG, HALL_READER_ROLES)


def require_window_clerk(actor: Principal) -> None:
    """403 unless a window clerk."""
    require_role(actor, CALL, CLERK_ROLES)


def require_ticket_lister(actor: Principal) -> None:
    """403 unless a window clerk, supervisor or administrator (the clerk's hall is checked after)."""
    require_role(actor, LIST, ("window_clerk", "supervisor", "admin"))


def require_indicator_reader(actor: Principal) -> None:
    """403 unless a supervisor, evaluator or administrator."""
    require_role(actor, INDICATOR, INDICATOR_ROLES)


def is_overseer(actor: Principal) -> bool:
    """Supervisors and administrators see every hall's tickets."""
    return actor.is_staff and bool(actor.roles & OVERSIGHT_ROLES)


def owns_ticket(actor: Principal, ticket: QueueTicket) -> bool:
    """The person who took the number (or whose booking it was checked in for)."""
    return not actor.is_staff and ticket.person_id is not None and ticket.person_id == actor.subject
