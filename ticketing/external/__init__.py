"""Outside bodies (issue #17): the page behind a hand-off e-mail's signed link (`/instansi/…`),
where a body's staff acknowledge, update and finish a ticket without an account, and the
registry of bodies for staff (`GET /api/v1/external-bodies`)."""

from ticketing.external.views import bp

__all__ = ["bp"]
