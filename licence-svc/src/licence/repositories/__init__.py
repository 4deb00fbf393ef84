"""Every query of licence-svc: one module per aggregate."""
