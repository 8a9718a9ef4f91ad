"""Lifecycle jobs run by the periodic ticker: SLA reminders/escalations, auto-closing, resuming
holds whose `until` has passed, and incident spikes."""

from __future__ import annotations

from workers.jobs import job


@job
def sla_sweep() -> dict:
    from ticketing.services.sla_sweep import sla_sweep as sweep

    return sweep()


@job
def auto_close_resolved() -> int:
    from ticketing.services.sla_sweep import auto_close

    return auto_close()


@job
def resume_due_holds() -> int:
    from ticketing.services.sla_sweep import resume_due_holds as resume

    return resume()


@job
def detect_spikes() -> int:
    """Clusters the after-routing check could not see (a location sent after the text)."""
    from ticketing.services.spikes import sweep

    return sweep()
