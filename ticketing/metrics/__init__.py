from ticketing.metrics.views import bp

__all__ = ["bp"]
