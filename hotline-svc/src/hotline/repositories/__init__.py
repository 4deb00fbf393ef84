"""Repositories: every query hotline-svc makes, one module per aggregate."""
