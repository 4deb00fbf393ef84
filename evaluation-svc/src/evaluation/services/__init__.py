"""evaluation's rules: no FastAPI imports; session first, keyword-only after; never commit."""
