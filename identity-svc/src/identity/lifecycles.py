"""The declared state machines of identity-svc's aggregates: which action leads from which state
where. The services ask them before they change a status; a refused action is the service's 409.

A grant (法人授权)::

    pending ──confirm──▶ active ──revoke──▶ revoked
    pending ──revoke──▶ revoked
    pending / active ──expire──▶ expired ──revoke──▶ revoked

`expire` is time's, never a person's: a grant reads `expired` once `valid_until` has passed
(nothing is written), and revoking it still records the revocation. Revoking a grant revokes the
grants made under it; revoking a revoked grant changes nothing.

An enterprise claim (法人登记)::

    pending ──verify──▶ verified
    pending ──reject──▶ rejected   (by a clerk, or when another claim on its credit code is verified)

An account's status (active, disabled) is set by an administrator either way with no rule between
them, so it has no machine here.
"""

from __future__ import annotations

from typing import Literal, get_args

from yiwang_shared.lifecycle import Lifecycle

#: Every state of a grant (授权状态); the API's grant `status` values.
GrantStatus = Literal["pending", "active", "revoked", "expired"]
#: Every action on a grant.
GrantAction = Literal["confirm", "revoke", "expire"]

GRANT: Lifecycle[GrantStatus, GrantAction] = Lifecycle(
    "grant",
    states=get_args(GrantStatus),
    actions=get_args(GrantAction),
    transitions={
        "pending": {"confirm": "active", "revoke": "revoked", "expire": "expired"},
        "active": {"revoke": "revoked", "expire": "expired"},
        "expired": {"revoke": "revoked"},
        "revoked": {},
    },
)

#: Every verification state of an enterprise (核验状态); the API's enterprise `status` values.
EnterpriseStatus = Literal["pending", "verified", "rejected"]
#: Every action on an enterprise claim.
EnterpriseAction = Literal["verify", "reject"]

ENTERPRISE: Lifecycle[EnterpriseStatus, EnterpriseAction] = Lifecycle(
    "enterprise",
    states=get_args(EnterpriseStatus),
    actions=get_args(EnterpriseAction),
    transitions={
        "pending": {"verify": "verified", "reject": "rejected"},
        "verified": {},
        "rejected": {},
    },
)
