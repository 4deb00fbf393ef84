"""Services: identity-svc's rules, one module per aggregate. No FastAPI here; the caller's
session is the transaction (they never commit)."""
