from ticketing.wall.sockets import register_namespaces
from ticketing.wall.views import bp

__all__ = ["bp", "register_namespaces"]
