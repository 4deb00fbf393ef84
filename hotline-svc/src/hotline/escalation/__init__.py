"""催办 and 督办 of hotline tickets: escalation rules per ticket state (to whom, after how long),
reminders to the person handling a ticket, escalations to named supervisors.

- `models`: the staff read model, the rules, the reminders and escalations raised and whom they name;
- `staff`: the staff read model (identity.staff.changed.v1) and who holds which role where;
- `rules`: when a rule fires on a ticket (pure);
- `recipients`: the people a rule's target names on a ticket;
- `scan`: the replica-safe pass that raises them (history entry and event with each);
- `worklists`: each person's work list, the board, a ticket's, acknowledgement;
- `rule_admin`: administering the rules.
"""
