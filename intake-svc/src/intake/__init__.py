"""intake-svc: applications from receipt to delivery (一窗受理)."""
