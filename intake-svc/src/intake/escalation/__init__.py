"""催办 and 督办: reminders to the person handling a case before its limit, and escalation to the
deciding unit's supervisor and then to the district supervision office when it turns red.

- `models`: the staff read model and the reminders and escalations raised (with whom they name);
- `staff`: the staff read model (identity.staff.changed.v1) and who holds which role where;
- `rules`: what is due on a case today (pure);
- `recipients`: the people a reminder or escalation names;
- `scan`: the replica-safe pass that raises them (trace entry and event with each);
- `worklists`: each person's work list, the supervisors' board, a case's, acknowledgement;
- `events`, `schemas`, `settings`: payloads, API models, INTAKE_ESCALATION_* settings.
"""
