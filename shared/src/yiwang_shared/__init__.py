"""yiwang shared infrastructure.

Infrastructure only: settings, database plumbing, events and the transactional outbox, token
verification, the error envelope, logging and metrics, the working-day calendar and ID checksums.
Never a service's models or rules; never imports a service.
"""
