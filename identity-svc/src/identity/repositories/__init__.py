"""Repositories: every query identity-svc makes, one module per aggregate."""
