"""The declared state machine of a licence (电子证照状态)::

    valid ─suspend─▶ suspended ─reinstate─▶ valid
      │                 │
      ├─revoke──────────┴─revoke─▶ revoked      (by the issuing unit: 吊销/撤销)
      └─expire──────────┬─expire─▶ expired      (by date: the expiry pass)
                   suspended

`revoked` and `expired` are final: a renewed licence is a new one.
"""

from __future__ import annotations

from typing import Literal, get_args

from yiwang_shared.lifecycle import Lifecycle

#: Every state of a licence; the API's `status` values.
LicenceStatus = Literal["valid", "suspended", "revoked", "expired"]
#: Every action on a licence.
LicenceAction = Literal["suspend", "reinstate", "revoke", "expire"]

LICENCE: Lifecycle[LicenceStatus, LicenceAction] = Lifecycle(
    "licence",
    states=get_args(LicenceStatus),
    actions=get_args(LicenceAction),
    transitions={
        "valid": {"suspend": "suspended", "revoke": "revoked", "expire": "expired"},
        "suspended": {"reinstate": "valid", "revoke": "revoked", "expire": "expired"},
        "revoked": {},
        "expired": {},
    },
)

#: The states as people read them.
STATUS_ZH: dict[str, str] = {
    "valid": "有效",
    "suspended": "暂停使用",
    "revoked": "已吊销",
    "expired": "已过期",
}
