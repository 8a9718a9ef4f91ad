from ticketing.tickets.views import bp

__all__ = ["bp"]
