"""Citizen satisfaction surveys (SKM): the public API, the survey form `/skm/<service>`, its A4
poster with a QR code, and the published index `/skm/results`."""

from ticketing.skm import commands  # noqa: F401,E402 - registers `flask skm seed-demo`
from ticketing.skm.views import bp

__all__ = ["bp"]
