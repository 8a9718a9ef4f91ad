"""The staff console: server-rendered pages for officers, operators and admins."""

from ticketing.console import (  # noqa: F401,E402 - register the pages
    admin,
    channel_accounts,  # noqa: F401,E402 - channel accounts' regions (issue #16)
    external_bodies,  # outside bodies (issue #17)
    incidents,  # noqa: F401,E402 - the incident pages (issue #18)
    intake,
    officer,
    operator,
    ppid_report,  # the annual PPID report (issue #17)
    skm_admin,
    transfers,
    voice,
)
from ticketing.console.views import bp

__all__ = ["bp"]
