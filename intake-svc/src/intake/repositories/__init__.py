"""intake-svc's queries: one repository class per aggregate, each over the request's session.

Repositories never commit and never raise HTTP errors; the services decide what a missing row
means."""
