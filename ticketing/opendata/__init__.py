from ticketing.opendata.views import bp

__all__ = ["bp"]
