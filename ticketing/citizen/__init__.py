"""The citizen's own web pages: file a complaint (`/lapor`), its receipt, and tracking
(`/lacak/<ticket_number>?token=`)."""

from ticketing.citizen import (
    proof_photo,  # noqa: F401,E402 - the proof-of-fix photo link
    tracking,  # noqa: F401,E402 - registers the tracking pages
)
from ticketing.citizen.views import bp

__all__ = ["bp"]
