"""The staff console: server-rendered pages for officers, operators and admins."""

from ticketing.console import admin, intake, officer, operator, voice  # noqa: F401,E402 - register the pages
from ticketing.console.views import bp

__all__ = ["bp"]
