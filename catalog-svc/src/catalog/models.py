"""catalog-svc tables."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for catalog-svc's own tables."""
