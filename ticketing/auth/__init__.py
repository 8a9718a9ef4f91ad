from ticketing.auth.views import bp

__all__ = ["bp"]
