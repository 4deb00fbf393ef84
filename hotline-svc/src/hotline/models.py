"""hotline-svc tables."""

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    """Declarative base for hotline-svc's own tables."""
