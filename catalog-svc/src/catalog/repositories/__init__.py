"""Repositories: every query catalog-svc makes, one module per aggregate.

`DatabaseError` is the database layer's error, for the callers that report a failed transaction
(the importer's command line) without knowing SQLAlchemy.
"""

from sqlalchemy.exc import SQLAlchemyError as DatabaseError

__all__ = ["DatabaseError"]
