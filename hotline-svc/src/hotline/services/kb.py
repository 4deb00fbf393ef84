"""The knowledge base (热线知识库): versioned entries reviewed before publication, expired ones
withdrawn, catalogue items answerable, Chinese search, usage statistics."""

from __future__ import annotations

import math
import time
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from yiwang_shared.auth import Principal
from yiwang_shared.lifecycle import TransitionRefused
from yiwang_shared.orm import as_utc, utcnow
from yiwang_shared.pagination import DateRange, PageParams

from .. import errors
from ..lifecycles import KB_ENTRY, KB_VERSION
from ..models import CatalogItem, KbEntry, KbVersion
from ..repositories.kb import KbRepository
from ..schemas import KbDraftUpdate, KbEntryCreate, KbEntryRead, KbHitRead, KbUsageRead, KbVersionRead
from .access import KB_EDITOR_ROLES, KB_REVIEWER_ROLES, require
from .days import day_end, day_start
from .orgs import check_unit
from .search import index_terms, query_terms


def version_view(v: KbVersion) -> KbVersionRead:
    """A version for the API."""
    return KbVersionRead(
        version_no=v.version_no,
        status=v.status,  # type: ignore[arg-type]
        question=v.question,
        answer=v.answer,
        keywords=list(v.keywords),
        item_codes=list(v.item_codes),
        review_on=v.review_on,
        expires_on=v.expires_on,
        author=v.author,
        reviewer=v.reviewer,
        review_note=v.review_note,
        created_at=v.created_at,
        published_at=v.published_at,
    )


async def _versions(session: AsyncSession, entry: KbEntry) -> list[KbVersion]:
    return await KbRepository(session).versions(entry.id)


async def entry_view(session: AsyncSession, entry: KbEntry) -> KbEntryRead:
    """An entry with its published and latest versions."""
    versions = await _versions(session, entry)
    published = next((v for v in versions if v.version_no == entry.published_version_no), None)
    return KbEntryRead(
        id=entry.id,
        source=entry.source,  # type: ignore[arg-type]
        catalog_item_code=entry.catalog_item_code,
        owner_unit_code=entry.owner_unit_code,
        status=entry.status,  # type: ignore[arg-type]
        published_version_no=entry.published_version_no,
        usage_count=entry.usage_count,
        last_used_at=entry.last_used_at,
        published=version_view(published) if published else None,
        latest=version_view(versions[-1]),
    )


async def get_entry(session: AsyncSession, entry_id: str) -> KbEntry:
    """The entry; 404 when missing."""
    entry = await KbRepository(session).find_entry(entry_id)
    if entry is None:
        raise errors.kb_entry_not_found(entry_id)
    return entry


async def _check_links(session: AsyncSession, body: KbEntryCreate | KbDraftUpdate) -> None:
    missing = []
    for code in body.item_codes:
        item = await KbRepository(session).catalog_item(code)
        if item is None or item.status != "published":
            missing.append(code)
    if missing:
        raise errors.unknown_items(missing)


def _version(entry: KbEntry, no: int, body: KbEntryCreate | KbDraftUpdate, author: str) -> KbVersion:
    return KbVersion(
        entry_id=entry.id,
        version_no=no,
        status="draft",
        question=body.question,
        answer=body.answer,
        keywords=list(body.keywords),
        item_codes=list(body.item_codes),
        review_on=body.review_on,
        expires_on=body.expires_on,
        author=author,
    )


#: The hotline's own editors keep the whole knowledge base; other editors (a department's
#: catalogue editor) only the entries their unit is responsible for.
KB_EDITORS_OF_EVERY_ENTRY = frozenset({"hotline_agent", "supervisor"})


def require_unit_editor(actor: Principal, *owner_codes: str | None) -> None:
    """403 unless the caller may edit entries owned by each of `owner_codes` (a department keeps its own)."""
    if actor.is_admin or actor.has_any_role(KB_EDITORS_OF_EVERY_ENTRY):
        return
    unit = actor.org_unit
    for code in owner_codes:
        if code is None or (unit and (code == unit or code.startswith(unit + "-"))):
            continue
        raise errors.kb_not_your_unit(code, unit)


async def create_entry(session: AsyncSession, body: KbEntryCreate, actor: Principal) -> KbEntry:
    """A new entry with draft version 1."""
    require(actor, KB_EDITOR_ROLES, "编写知识库条目", "Writing the knowledge base")
    owner = body.owner_unit_code or actor.org_unit
    if not owner:
        raise errors.owner_required()
    await check_unit(session, owner, "owner_unit_code")
    require_unit_editor(actor, owner)
    await _check_links(session, body)
    entry = KbEntry(
        source="manual",
        owner_unit_code=owner,
        status="draft",
        question=body.question,
        expires_on=body.expires_on,
        created_by=actor.subject,
        usage_count=0,
    )
    session.add(entry)
    await session.flush()
    session.add(_version(entry, 1, body, actor.subject))
    await session.flush()
    return entry


def _version_step(entry: KbEntry, last: KbVersion, action: str) -> str:
    """Where `action` takes the entry's latest version; 409 when its status does not allow it."""
    try:
        return KB_VERSION.target(last.status, action)
    except TransitionRefused:
        raise errors.kb_invalid_transition(entry.id, last.status, action) from None


async def _supersede(session: AsyncSession, entry: KbEntry) -> None:
    """The entry's published version gives way to the one about to be published."""
    for v in await _versions(session, entry):
        if KB_VERSION.can(v.status, "supersede"):
            v.status = KB_VERSION.target(v.status, "supersede")


async def latest(session: AsyncSession, entry: KbEntry) -> KbVersion:
    """The entry's newest version."""
    return (await _versions(session, entry))[-1]


async def new_draft(session: AsyncSession, entry: KbEntry, body: KbDraftUpdate, actor: Principal) -> KbEntry:
    """Edit the open draft, or start a new draft version after the published one."""
    require(actor, KB_EDITOR_ROLES, "编写知识库条目", "Writing the knowledge base")
    if entry.source == "catalog":
        raise errors.kb_from_catalog()
    require_unit_editor(actor, entry.owner_unit_code, body.owner_unit_code)
    await _check_links(session, body)
    if body.owner_unit_code and body.owner_unit_code != entry.owner_unit_code:
        await check_unit(session, body.owner_unit_code, "owner_unit_code")
        entry.owner_unit_code = body.owner_unit_code
    last = await latest(session, entry)
    _version_step(entry, last, "edit")
    if last.status == "draft":
        for key in ("question", "answer", "review_on", "expires_on"):
            setattr(last, key, getattr(body, key))
        last.keywords = list(body.keywords)
        last.item_codes = list(body.item_codes)
        last.author = actor.subject
    else:
        session.add(_version(entry, last.version_no + 1, body, actor.subject))
    entry.updated_at = utcnow()
    await session.flush()
    return entry


async def submit(session: AsyncSession, entry: KbEntry, actor: Principal) -> KbEntry:
    """Send the draft for review."""
    require(actor, KB_EDITOR_ROLES, "提交知识库条目审核", "Submitting a knowledge-base entry")
    require_unit_editor(actor, entry.owner_unit_code)
    last = await latest(session, entry)
    last.status = _version_step(entry, last, "submit")
    return entry


async def approve(session: AsyncSession, entry: KbEntry, actor: Principal, note: str | None) -> KbEntry:
    """A reviewer (not the author) publishes the version under review."""
    require(actor, KB_REVIEWER_ROLES, "审核发布知识库条目", "Approving a knowledge-base entry")
    last = await latest(session, entry)
    published = _version_step(entry, last, "approve")
    if last.author == actor.subject and not actor.is_admin:
        raise errors.kb_self_review()
    if last.expires_on is not None and last.expires_on < date.today():
        raise errors.kb_expired()
    now = utcnow()
    await _supersede(session, entry)
    last.status = published
    last.reviewer = actor.subject
    last.review_note = note
    last.published_at = now
    await publish_version(session, entry, last)
    return entry


async def reject(session: AsyncSession, entry: KbEntry, actor: Principal, note: str | None) -> KbEntry:
    """A reviewer sends the version back to draft with a note."""
    require(actor, KB_REVIEWER_ROLES, "审核知识库条目", "Reviewing a knowledge-base entry")
    last = await latest(session, entry)
    last.status = _version_step(entry, last, "reject")
    last.reviewer = actor.subject
    last.review_note = note
    return entry


async def withdraw(session: AsyncSession, entry: KbEntry, actor: Principal, reason: str | None) -> KbEntry:
    """Withdraw a published entry by hand."""
    require(actor, KB_REVIEWER_ROLES, "撤下知识库条目", "Withdrawing a knowledge-base entry")
    if not KB_ENTRY.can(entry.status, "withdraw"):
        raise errors.kb_invalid_transition(entry.id, entry.status, "withdraw")
    await unpublish(session, entry, reason or "withdrawn by a reviewer")
    return entry


async def publish_version(session: AsyncSession, entry: KbEntry, version: KbVersion) -> None:
    """Make `version` the one in force and index it."""
    TERM_STATS.clear()
    entry.status = KB_ENTRY.target(entry.status, "publish")
    entry.published_version_no = version.version_no
    entry.question = version.question
    entry.expires_on = version.expires_on
    entry.withdrawn_reason = None
    entry.updated_at = utcnow()
    await reindex(session, entry, version)


async def unpublish(session: AsyncSession, entry: KbEntry, reason: str) -> None:
    """Take the entry out of search and answers."""
    TERM_STATS.clear()
    entry.status = KB_ENTRY.target(entry.status, "withdraw")
    entry.withdrawn_reason = reason
    entry.updated_at = utcnow()
    await KbRepository(session).delete_terms(entry.id)


async def reindex(session: AsyncSession, entry: KbEntry, version: KbVersion) -> None:
    """Replace the entry's search terms with the version's."""
    repo = KbRepository(session)
    await repo.delete_terms(entry.id)
    repo.add_terms(entry.id, index_terms(version.question, version.answer, version.keywords))
    await session.flush()


def _db_key(session: AsyncSession) -> str:
    bind = session.get_bind()
    return str(bind.engine.url)


class TermStats:
    """Document frequencies of index terms, cached for a few minutes (approximate is enough: they
    only decide which query terms are too common to be worth scoring, and weigh the others)."""

    def __init__(self, ttl_seconds: float = 300.0) -> None:
        self.ttl = ttl_seconds
        self._df: dict[tuple[str, str], tuple[int, float]] = {}
        self._entries: dict[str, tuple[int, float]] = {}

    def clear(self) -> None:
        """Forget everything (after this process published or withdrew an entry)."""
        self._df.clear()
        self._entries.clear()

    async def entries(self, session: AsyncSession) -> int:
        """How many entries are indexed."""
        db = _db_key(session)
        count, at = self._entries.get(db, (0, 0.0))
        if time.monotonic() - at > self.ttl:
            count = await KbRepository(session).indexed_entries()
            self._entries[db] = (count, time.monotonic())
        return count

    async def frequencies(self, session: AsyncSession, terms: list[str]) -> dict[str, int]:
        """Entries containing each term (terms in none are left out)."""
        db = _db_key(session)
        now = time.monotonic()
        out: dict[str, int] = {}
        for t in terms:
            cached = self._df.get((db, t))
            if cached is not None and now - cached[1] <= self.ttl:
                out[t] = cached[0]
        missing = [t for t in terms if t not in out]
        if missing:
            for term, count in (await KbRepository(session).term_frequencies(missing)).items():
                out[term] = count
                # Zeros are not cached: a term nobody used yet may be in the next entry published.
                self._df[(db, term)] = (int(count), now)
            if len(self._df) > 50_000:
                self._df.clear()  # a crude bound on memory; refilled on demand
        return out


TERM_STATS = TermStats()
#: A query term found in more than this share of entries is not scored (unless nothing rarer is left).
COMMON_SHARE = 0.08


async def search(
    session: AsyncSession, q: str, page: PageParams, *, today: date | None = None
) -> tuple[list[KbHitRead], int]:
    """A page of the published, unexpired entries best matching `q` (weights × inverse document
    frequency), and how many match in all."""
    terms = query_terms(q)
    if not terms:
        return [], 0
    today = today or date.today()
    n = max(await TERM_STATS.entries(session), 1)
    df = {t: f for t, f in (await TERM_STATS.frequencies(session, terms)).items() if f > 0}
    if not df:
        return [], 0
    # Terms in almost every entry (办理, 申请 in a corpus of 办事 answers) cost the most to score and
    # rank nothing: leave them out while rarer terms remain.
    rare = [t for t in df if df[t] <= max(50, COMMON_SHARE * n)]
    use = rare or sorted(df, key=lambda t: df[t])[:2]
    idf = {t: math.log(1 + n / df[t]) for t in use}
    repo = KbRepository(session)
    best = await repo.ranked(idf, today=today, limit=page.limit, offset=page.offset)
    if not best:
        total = 0
        if page.offset:  # past the last page: the matches still count
            total = await repo.count_matching(use, today=today)
        return [], total
    by_id = await repo.published(e for e, _, _ in best)
    hits = [
        KbHitRead(
            id=entry.id,
            question=version.question,
            answer=version.answer,
            item_codes=list(version.item_codes),
            owner_unit_code=entry.owner_unit_code,
            score=round(hit_score, 2),
            usage_count=entry.usage_count,
        )
        for entry_id, hit_score, _ in best
        for entry, version in [by_id[entry_id]]
    ]
    return hits, best[0][2]


async def usage_stats(session: AsyncSession, days: DateRange) -> list[KbUsageRead]:
    """Entries used in the days of `days` (Beijing), most used first: uses then and in all."""
    repo = KbRepository(session)
    counts = await repo.usage_counts(
        day_start(days.start) if days.start is not None else None,
        day_end(days.end) if days.end is not None else None,
    )
    stats = [
        KbUsageRead(
            id=e.id,
            question=e.question,
            usage_count=e.usage_count,
            used_in_period=counts[e.id],
            last_used_at=e.last_used_at,
        )
        for e in await repo.entries(counts)
    ]
    stats.sort(key=lambda s: (-s.used_in_period, -s.usage_count, s.id))
    return stats


# --- the catalogue ----------------------------------------------------------------------------


def catalog_answer(elements: dict[str, Any]) -> str:
    """A citizen-facing answer (Chinese) from a published catalogue item's elements."""
    lines = [f"【{elements.get('name', '')}】"]
    unit = (elements.get("implementing_unit") or {}).get("name")
    if unit:
        lines.append(f"实施主体：{unit}")
    if elements.get("acceptance_conditions"):
        lines.append(f"受理条件：{elements['acceptance_conditions']}")
    materials = [m.get("name") for m in elements.get("materials") or [] if not m.get("exempt")]
    if materials:
        lines.append("所需材料：" + "；".join(str(m) for m in materials))
    limit = elements.get("promised_limit") or elements.get("legal_limit")
    if limit:
        unit_name = {"working_day": "个工作日", "natural_day": "个自然日", "hour": "小时"}.get(
            limit.get("unit"), ""
        )
        lines.append(
            "办理时限：" + ("当场办结" if limit.get("value") == 0 else f"{limit.get('value')}{unit_name}")
        )
    place = elements.get("place") or {}
    if place.get("address"):
        lines.append(f"办理地点：{place['address']}")
    if elements.get("hours"):
        lines.append(f"办理时间：{elements['hours']}")
    if elements.get("visits") == 0:
        lines.append("全程网办，无需到现场。")
    if elements.get("enquiry_phone"):
        lines.append(f"咨询电话：{elements['enquiry_phone']}")
    return "\n".join(lines)


async def upsert_catalog_entry(session: AsyncSession, data: dict[str, Any]) -> KbEntry | None:
    """catalog.item.published → the item's read model and its published knowledge-base entry."""
    code = data["item_code"]
    elements = data.get("elements") or {}
    version_no = int(data["version_no"])
    published_at = as_utc(datetime.fromisoformat(data["published_at"]))
    owner = (
        (data.get("owner_unit") or {}).get("code")
        or (elements.get("implementing_unit") or {}).get("code")
        or ""
    )
    repo = KbRepository(session)
    item = await repo.catalog_item(code)
    if item is not None and (
        item.version_no > version_no or (item.version_no == version_no and item.status == "published")
    ):
        return None  # an older version arrived late, or this one is already in
    if item is None:
        item = CatalogItem(item_code=code)
        session.add(item)
    item.name = elements.get("name") or code
    item.owner_unit_code = owner
    item.version_no = version_no
    item.status = "published"
    item.published_at = published_at
    item.updated_at = utcnow()
    entry = await repo.entry_for_item(code)
    if entry is None:
        entry = KbEntry(
            source="catalog",
            catalog_item_code=code,
            owner_unit_code=owner,
            status="draft",
            question="",
            created_by="catalog",
            usage_count=0,
        )
        session.add(entry)
        await session.flush()
        next_no = 1
    else:
        next_no = (await latest(session, entry)).version_no + 1
        await _supersede(session, entry)
    entry.owner_unit_code = owner
    keywords = [
        elements.get("name") or code,
        *(elements.get("keywords") or []),
        *(elements.get("themes") or []),
    ]
    version = KbVersion(
        entry_id=entry.id,
        version_no=next_no,
        status="published",
        question=f"{item.name}怎么办理？",
        answer=catalog_answer(elements),
        keywords=[str(k)[:40] for k in keywords][:30],
        item_codes=[code],
        author="catalog",
        reviewer="catalog",
        review_note=f"catalogue version {version_no}",
        published_at=published_at,
    )
    session.add(version)
    await session.flush()
    await publish_version(session, entry, version)
    return entry


async def retire_catalog_entry(session: AsyncSession, data: dict[str, Any]) -> None:
    """catalog.item.retired → the entry is withdrawn."""
    code = data["item_code"]
    repo = KbRepository(session)
    item = await repo.catalog_item(code)
    if item is not None:
        item.status = "retired"
        item.updated_at = utcnow()
    entry = await repo.entry_for_item(code)
    if entry is not None and KB_ENTRY.can(entry.status, "withdraw"):
        await unpublish(session, entry, "catalogue item retired")
