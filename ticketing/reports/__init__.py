from ticketing.reports import evaluation  # noqa: F401,E402 - registers /reports/evaluation
from ticketing.reports.views import bp

__all__ = ["bp"]
