from ticketing.apidocs.views import bp

__all__ = ["bp"]
