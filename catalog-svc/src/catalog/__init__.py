"""catalog-svc: the standard service-item catalogue."""
