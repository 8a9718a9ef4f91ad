"""Who may do what: the staff roles and the role sets the front doors check.

Defined once here and imported wherever roles are listed (the user model, the lifecycle's
transition table, the API views and so the OpenAPI document, the console, the wall, the CLI).
"""

from __future__ import annotations

ADMIN = "admin"
OPERATOR = "operator"
OFFICER = "officer"
WALL = "wall"
# Actors that are not accounts: a citizen acts through a tracking token or their channel;
# `system` is the router and the sweeps.
CITIZEN = "citizen"
SYSTEM = "system"

ROLES = (ADMIN, OPERATOR, OFFICER, WALL)  # every staff account has one of these
STAFF_ROLES = ROLES  # read the work list, the event feed and the stats
WORK_ROLES = (ADMIN, OPERATOR, OFFICER)  # work tickets: the full ticket, actions, the console
WALL_ROLES = (WALL, OPERATOR, ADMIN)  # watch the wall screen
COMMAND_CENTRE_ROLES = (ADMIN, OPERATOR)  # triage and dispose
OPD_ROLES = (ADMIN, OFFICER)  # act for an OPD
