"""The staff console: server-rendered pages for officers, operators and admins."""

from ticketing.console.views import bp
from ticketing.console import admin, intake, officer, operator, voice  # noqa: F401,E402 - register the pages

__all__ = ["bp"]
