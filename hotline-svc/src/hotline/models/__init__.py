"""hotline-svc tables, by area; importing the package registers every table on `Base.metadata`
(Alembic, the migration guard).

- tickets and the rules they follow (categories, time limits, the dispatch catalogue): `tickets`
- the knowledge base: `kb`
- Open311 api keys: `open311`
- the rates' counts per unit and day: `rates`
- read models of identity's organisation units and catalog's items: `read_models`
- the staff read model, escalation rules, the reminders and escalations raised: `escalations`
- hot topics (热点问题), each ticket's topic, the clustering's statistics, rising-topic alerts: `topics`
"""

from .base import Base
from .escalations import EscalationRule, StaffMember, TicketEscalation, TicketEscalationRecipient
from .kb import KbEntry, KbTerm, KbUsage, KbVersion
from .open311 import Open311Key
from .rates import CallbackDayCount, ResponseDayCount
from .read_models import CatalogItem, OrgUnit
from .tickets import (
    Callback,
    Category,
    DispatchRecord,
    DispatchRule,
    Extension,
    ResponseDue,
    Ticket,
    TicketAttachment,
    TicketContact,
    TicketHistory,
    TimeLimitRule,
)
from .topics import TicketTopic, Topic, TopicAlert, TopicModelState

__all__ = [
    "Base",
    "Callback",
    "CallbackDayCount",
    "CatalogItem",
    "Category",
    "DispatchRecord",
    "DispatchRule",
    "EscalationRule",
    "Extension",
    "KbEntry",
    "KbTerm",
    "KbUsage",
    "KbVersion",
    "Open311Key",
    "OrgUnit",
    "ResponseDayCount",
    "ResponseDue",
    "StaffMember",
    "Ticket",
    "TicketAttachment",
    "TicketContact",
    "TicketEscalation",
    "TicketEscalationRecipient",
    "TicketHistory",
    "TicketTopic",
    "TimeLimitRule",
    "Topic",
    "TopicAlert",
    "TopicModelState",
]
