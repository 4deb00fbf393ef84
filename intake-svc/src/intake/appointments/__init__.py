"""Appointments (预约): service places with their hours, slots with capacity, and bookings.

- `hours`: opening hours (working days, 错峰延时 extended, 周末 weekend) and the slots they give;
- `places`: places and slots (managed by admins and the place unit's clerks and supervisors);
- `bookings`: booking and cancelling, with capacity and no-overlap held by the database;
- `events`: `intake.appointment.booked.v1` / `intake.appointment.cancelled.v1`.
"""
