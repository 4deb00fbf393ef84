"""Which units' rows a reader may see, as SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, or_, true


@dataclass(frozen=True)
class UnitScope:
    """Every unit (`everything`), one unit and its windows (`unit`, by code prefix), or nothing."""

    everything: bool = False
    unit: str | None = None

    def clause(self, *unit_columns: Any) -> ColumnElement[bool]:
        """True for rows whose unit (any of `unit_columns`: a unit, a window) is in the scope."""
        if self.everything:
            return true()
        own = self.unit
        if not own:
            return false()
        return or_(*(or_(col == own, col.startswith(own + "-", autoescape=True)) for col in unit_columns))
