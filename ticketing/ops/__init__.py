from ticketing.ops.views import bp

__all__ = ["bp"]
