"""Phone numbers in E.164, the one form stored and compared everywhere."""

from __future__ import annotations

import phonenumbers


class InvalidPhoneNumber(ValueError):
    pass


def to_e164(value: str, region: str = "ID") -> str:
    """+62812…, 62812… and 0812… all become +62812…; anything else raises InvalidPhoneNumber."""
    candidate = value.strip()
    # Providers prefix the channel ("whatsapp:+62…") and Meta sends bare digits ("62812…").
    if candidate.lower().startswith("whatsapp:"):
        candidate = candidate[len("whatsapp:") :].strip()
    if candidate.startswith("62"):
        candidate = "+" + candidate
    try:
        number = phonenumbers.parse(candidate, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhoneNumber("Not a phone number.") from exc
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumber("Not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
