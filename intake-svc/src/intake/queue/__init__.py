"""The service hall queue (排队叫号, 限时等候): a service place run as a hall with windows.

- `halls`: the hall's configuration (waiting limit, categories with their letter and items, windows
  as identity's window org units) and which window a clerk stands at;
- `tickets`: taking a number (kiosk, anonymous and bounded by `limits`; or a logged-in person),
  checking an appointment in (a priority ticket), numbers per hall, category and day, expected waits;
- `calling`: call next (priority first, then the oldest; never one ticket to two windows), 重呼,
  serving, 办结, 过号;
- `display`: the big screen, staff lists and the waiting-time indicator (超时等候率);
- `events`: `intake.queue_ticket.{taken,called,completed,no_show}.v1` through the outbox.
"""
