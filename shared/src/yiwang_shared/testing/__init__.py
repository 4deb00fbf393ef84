"""Test support: a real nats-server per test session, SQLite and PostgreSQL databases."""
