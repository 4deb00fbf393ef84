"""evaluation-svc tables."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for evaluation-svc's own tables."""
