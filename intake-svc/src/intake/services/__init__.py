"""intake-svc's rules, by area; no FastAPI imports here."""
