"""Hand-offs to outside bodies (issue #17): the reminder sweep run by the periodic ticker."""

from __future__ import annotations

from workers.jobs import job


@job
def external_reminders() -> int:
    from ticketing.services.handoffs import send_reminders

    return send_reminders()
