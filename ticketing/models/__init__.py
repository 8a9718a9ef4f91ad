"""Models split by noun; importing this package registers every table."""

from ticketing.models.api_keys import ApiKey
from ticketing.models.audit import AuditEntry
from ticketing.models.channel_accounts import ChannelAccount
from ticketing.models.handoffs import ExternalBody, ExternalHandoff
from ticketing.models.incidents import INCIDENT_KINDS, INCIDENT_STATUSES, Incident, IncidentUpdate
from ticketing.models.messages import (
    OUTBOX_STATES,
    PROVIDERS,
    InboundMessage,
    MediaAttachment,
    OutboxMessage,
)
from ticketing.models.opds import Category, Opd
from ticketing.models.photos import TicketPhoto
from ticketing.models.questions import ChatQuestion
from ticketing.models.regions import Region, default_region_code
from ticketing.models.routing import PossibleDuplicate
from ticketing.models.skm import PublicService, SurveyResponse
from ticketing.models.tickets import (
    CHANNELS,
    CHAT_CHANNELS,
    OPEN_STATUSES,
    STATUSES,
    Ticket,
    TicketEvent,
)
from ticketing.models.transfers import TicketTransfer
from ticketing.models.users import ROLES, User

__all__ = [
    "CHANNELS",
    "CHAT_CHANNELS",
    "OPEN_STATUSES",
    "ROLES",
    "STATUSES",
    "Category",
    "Opd",
    "Ticket",
    "TicketEvent",
    "User",
    "ApiKey",
    "OUTBOX_STATES",
    "PROVIDERS",
    "InboundMessage",
    "MediaAttachment",
    "OutboxMessage",
    "AuditEntry",
    "TicketPhoto",
    "ExternalBody",
    "ExternalHandoff",
    "ChatQuestion",
    "PossibleDuplicate",
    "PublicService",
    "SurveyResponse",
    "INCIDENT_KINDS",
    "INCIDENT_STATUSES",
    "Incident",
    "IncidentUpdate",
    "Region",
    "ChannelAccount",
    "default_region_code",
    "TicketTransfer",
]
