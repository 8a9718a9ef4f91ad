from ticketing.reports.views import bp

__all__ = ["bp"]
