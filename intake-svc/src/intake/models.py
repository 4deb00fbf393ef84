"""intake-svc tables: the declarative base; the tables themselves live by area.

- application tables (applications, materials, notices, steps, trace …): `intake.application_models`
- appointments: `intake.appointment_models`
- the notification outbox: `intake.notification_models`
- the staff read model, reminders and escalations: `intake.escalation.models`
- the service hall queue (排队叫号): `intake.queue_models`

They are imported at the bottom so `Base.metadata` (Alembic, the migration guard) holds every table.
"""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from yiwang_shared.orm import NAMING_CONVENTION, TYPE_ANNOTATION_MAP


class Base(DeclarativeBase):
    """Declarative base for intake-svc's own tables."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = TYPE_ANNOTATION_MAP


# Register every table on Base.metadata (these modules import Base from here).
from . import (  # noqa: E402,F401
    application_models,
    appointment_models,
    notification_models,
    queue_models,
)
from .escalation import models as escalation_models  # noqa: E402,F401
