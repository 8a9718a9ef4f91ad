from ticketing.open311.views import bp

__all__ = ["bp"]
