"""Every query evaluation-svc makes, one module per aggregate; repositories never commit."""
