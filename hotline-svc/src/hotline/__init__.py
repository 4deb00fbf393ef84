"""hotline-svc: the citizen hotline (接诉即办)."""
