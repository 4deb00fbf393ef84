"""Request and response bodies of hot topics (热点问题), their tickets, merge suggestions and the
rising-topic alerts (热点预警)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from yiwang_shared.pagination import Page

from ..lifecycles import Status as TicketStatus
from . import DuplicateRead, RequestType

TopicPeriod = Literal["day", "week"]
TopicAlertStatus = Literal["open", "acknowledged"]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class TopicCountRead(BaseModel):
    """A topic's tickets in one period at one place."""

    period_start: date = Field(description="The day, or the Monday of the week (Beijing time).")
    street_code: str | None = Field(description="Street (街道); null when the ticket named none.")
    community_code: str | None = Field(description="Community (社区); null when the ticket named none.")
    count: int = Field(ge=1)


class TopicRead(BaseModel):
    """A topic (热点话题) with its tickets counted by period and place in the range asked."""

    id: str
    label: str = Field(description="Its top three keywords, joined by 、.")
    keywords: list[str] = Field(description="Its heaviest terms (TF-IDF), most telling first.")
    example_title: str = Field(description="The title of the ticket that founded the topic.")
    ticket_count: int = Field(ge=0, description="Every ticket ever placed in it.")
    count: int = Field(ge=0, description="Its tickets in the range (at the place, when filtered).")
    counts: list[TopicCountRead] = Field(description="By period, street and community, oldest first.")


class TopicPage(Page[TopicRead]):
    """A page of topics, the most tickets in the range first."""

    period: TopicPeriod = Field(description="day or week (weeks start on Monday).")
    start: date = Field(description="First day counted (for weeks: its Monday).")
    end: date = Field(description="Last day counted.")


class TopicTicketRead(BaseModel):
    """A ticket as a topic lists it (no caller details)."""

    id: str
    number: str = Field(description="Ticket number (工单编号).")
    title: str
    request_type: RequestType
    category_code: str | None
    status: TicketStatus
    street_code: str | None
    community_code: str | None
    address: str | None
    created_at: datetime
    similarity: float | None = Field(
        default=None, ge=0, le=1, description="Cosine to its topic when it was placed."
    )


class TopicTicketPage(Page[TopicTicketRead]):
    """A page of a topic's tickets, newest first."""


class TopicMergeSuggestionRead(BaseModel):
    """A duplicate the desk did not merge: `ticket` is very like the earlier `into`, same topic and
    street, close in time. Merge with POST /v1/tickets/{ticket.id}/merge, into_ticket_id = into.id."""

    ticket: TopicTicketRead = Field(description="The later ticket, to merge.")
    into: DuplicateRead = Field(description="The earlier ticket it duplicates, scored as a likely duplicate.")


class TopicMergeSuggestionPage(Page[TopicMergeSuggestionRead]):
    """A page of merge suggestions, the most alike first."""


class TopicAlertRead(BaseModel):
    """A topic rising in a street (热点预警), with the tickets behind it."""

    id: str
    topic_id: str
    topic_label: str = Field(description="The topic's label when the alert was raised.")
    district_code: str = Field(description="The district alerted (区).")
    street_code: str = Field(description="The street where it rose (街道).")
    week: date = Field(description="Monday of the Beijing week it was raised in (one alert a week).")
    window_start: datetime = Field(description="The seven days counted: from …")
    window_end: datetime = Field(description="… to.")
    window_count: int = Field(ge=1, description="Tickets of the topic in the street in those seven days.")
    baseline_weeks: int = Field(ge=1, description="How many weeks before make the baseline.")
    baseline_mean: float = Field(ge=0)
    baseline_sd: float = Field(ge=0)
    threshold: float = Field(description="mean + k·sd: the count went above it.")
    status: TopicAlertStatus = Field(description="open 待处理, acknowledged 已签收.")
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    note: str | None
    raised_at: datetime
    tickets: list[TopicTicketRead] = Field(description="The tickets behind it, oldest first.")


class TopicAlertPage(Page[TopicAlertRead]):
    """A page of rising-topic alerts, newest first."""


class TopicAlertAcknowledge(BaseModel):
    """Acknowledge an alert (已阅签收), with what is being done."""

    model_config = ConfigDict(extra="forbid")

    note: Note | None = Field(default=None, description="What the district does about it.")


class TopicScanRead(BaseModel):
    """What one hot-topic pass did."""

    assigned: int = Field(ge=0, description="Tickets placed in a topic.")
    topics_created: int = Field(ge=0, description="Topics founded.")
    alerts_raised: int = Field(ge=0, description="Rising-topic alerts raised.")
