"""Who may do what: the staff roles and the role sets the front doors check.

Defined once here and imported wherever roles are listed (the user model, the lifecycle's
transition table, the API views and so the OpenAPI document, the console, the wall, the CLI).
"""

from __future__ import annotations

ADMIN = "admin"
OPERATOR = "operator"
OFFICER = "officer"
WALL = "wall"
# Information requests (UU 14/2008, services/ppid.py): a PPID pembantu belongs to one OPD like an
# officer (the PPID utama is the PPID of the OPD `PPID_OPD`); the atasan PPID decides objections.
PPID = "ppid"
ATASAN_PPID = "atasan_ppid"
# Actors that are not accounts: a citizen acts through a tracking token or their channel;
# `system` is the router and the sweeps.
CITIZEN = "citizen"
SYSTEM = "system"

ROLES = (ADMIN, OPERATOR, OFFICER, WALL, PPID, ATASAN_PPID)  # every staff account has one of these
STAFF_ROLES = ROLES  # read the work list, the event feed and the stats
# work tickets: the full ticket, actions, the console
WORK_ROLES = (ADMIN, OPERATOR, OFFICER, PPID, ATASAN_PPID)
WALL_ROLES = (WALL, OPERATOR, ADMIN)  # watch the wall screen
COMMAND_CENTRE_ROLES = (ADMIN, OPERATOR)  # triage and dispose
OPD_ROLES = (ADMIN, OFFICER, PPID)  # act for an OPD
# Accounts that belong to one OPD and see only its tickets (`--opd` is required for them).
OPD_SCOPED_ROLES = (OFFICER, PPID)
PPID_ROLES = (ADMIN, PPID)  # decide and extend an information request
OBJECTION_ROLES = (ADMIN, ATASAN_PPID)  # decide an objection (keberatan)
