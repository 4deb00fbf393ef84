"""licence-svc: the electronic licence library (电子证照库)."""
