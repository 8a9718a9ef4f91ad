from ticketing.incidents.views import bp

__all__ = ["bp"]
