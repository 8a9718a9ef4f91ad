from tests.tickets.fixtures import make_ticket, socket_recorder, staff  # noqa: F401
