"""Services: hotline-svc's rules, the session first; every query goes through `repositories`."""
