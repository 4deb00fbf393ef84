"""licence-svc's rules: one module per aggregate or step (no FastAPI, no SQL)."""
