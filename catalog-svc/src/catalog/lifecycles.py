"""The declared state machines of catalog-svc's aggregates: which action leads from which state
where. The services ask them before they change a status; a refused action is the service's 409
(``catalog.invalid_transition``, or ``catalog.version_immutable`` for an edit).

A version of an implementation entry (事项版本)::

    draft ──submit──▶ in_review ──publish──▶ published ──supersede──▶ retired
    draft ◀──return── in_review
    draft ──publish_directly──▶ published      (the system only: demo data, imports)
    draft / in_review / published ──retire──▶ retired   (the entry is retired)
    draft ──edit──▶ draft                      (only a draft's elements change)

A person publishes only a version in review, and never one they drafted, edited or submitted
(the four-eyes rule, checked by the service). Publishing a version supersedes the one in force.

An implementation entry (实施清单事项)::

    draft ──publish──▶ published ──retire──▶ retired
    draft ──retire──▶ retired
    published ──publish / new_version──▶ published   (a newer version; the entry stays in force)

Basic entries (基本目录) and bundles (一件事) have no status, so no machine: a bundle only holds
entries that are published.
"""

from __future__ import annotations

from typing import Literal, get_args

from yiwang_shared.lifecycle import Lifecycle

#: Every state of an entry; the API's item `status` values.
ItemStatus = Literal["draft", "published", "retired"]
#: Every action on an entry.
ItemAction = Literal["publish", "new_version", "retire"]

ITEM: Lifecycle[ItemStatus, ItemAction] = Lifecycle(
    "item",
    states=get_args(ItemStatus),
    actions=get_args(ItemAction),
    transitions={
        "draft": {"publish": "published", "retire": "retired"},
        "published": {"publish": "published", "new_version": "published", "retire": "retired"},
        "retired": {},
    },
)

#: Every state of a version; the API's version `status` values.
VersionStatus = Literal["draft", "in_review", "published", "retired"]
#: Every action on a version.
VersionAction = Literal["edit", "submit", "return", "publish", "publish_directly", "supersede", "retire"]

VERSION: Lifecycle[VersionStatus, VersionAction] = Lifecycle(
    "version",
    states=get_args(VersionStatus),
    actions=get_args(VersionAction),
    transitions={
        "draft": {
            "edit": "draft",
            "submit": "in_review",
            "publish_directly": "published",
            "retire": "retired",
        },
        "in_review": {"return": "draft", "publish": "published", "retire": "retired"},
        "published": {"supersede": "retired", "retire": "retired"},
        "retired": {},
    },
)
