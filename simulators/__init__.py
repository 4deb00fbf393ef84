"""Local stand-ins for the external providers (payment, logistics), each its own process.

For `make run` and the tests only: production talks to a real provider configured by URL and
secret. The wire format they speak is in README.md.
"""
