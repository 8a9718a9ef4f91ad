from ticketing.channels.views import bp

__all__ = ["bp"]
