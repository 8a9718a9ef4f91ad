from ticketing.intake.views import bp

__all__ = ["bp"]
