"""Which units' rows a reader may see, as SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true


@dataclass(frozen=True)
class UnitScope:
    """Every unit (`everything`), the codes of one unit and of the units below it (`codes`), or nothing."""

    everything: bool = False
    codes: tuple[str, ...] = ()

    def clause(self, *unit_columns: Any) -> ColumnElement[bool]:
        """True for rows whose unit (any of `unit_columns`: a unit, a window) is in the scope."""
        if self.everything:
            return true()
        if not self.codes:
            return false()
        # A list of codes, not a "below my unit" LIKE: each column's index finds its rows.
        return or_(*(col.in_(self.codes) for col in unit_columns))
