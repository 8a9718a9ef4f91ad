"""GeoReport v2 answers as JSON or XML (the spec requires XML; JSON is what apps use)."""

from __future__ import annotations

import re
from xml.etree.ElementTree import Element, tostring

from flask import Response, json

# The element name of a list's items, by the list's own element name (the spec's documents).
LIST_ITEMS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
    "jurisdictions": "jurisdiction",
}
# XML 1.0 cannot carry these; a citizen's text may contain them.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FORMATS = ("json", "xml")


def _text(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _INVALID_XML.sub("", str(value))


def element(tag: str, value) -> Element:
    node = Element(tag)
    if isinstance(value, dict):
        for key, child in value.items():
            node.append(element(key, child))
    elif isinstance(value, list):
        item_tag = LIST_ITEMS.get(tag, "item")
        for child in value:
            node.append(element(item_tag, child))
    elif value is not None:
        node.text = _text(value)
    return node


def xml_document(root: str, value) -> bytes:
    return tostring(element(root, value), encoding="utf-8", xml_declaration=True)


def respond(fmt: str, root: str, value, status: int = 200) -> Response:
    if fmt == "xml":
        return Response(xml_document(root, value), status=status, content_type="text/xml; charset=utf-8")
    body = json.dumps(value, ensure_ascii=False)
    return Response(body, status=status, content_type="application/json")


def errors_response(fmt: str, status: int, descriptions: list[str]) -> Response:
    errors = [{"code": status, "description": text} for text in descriptions]
    return respond(fmt if fmt in FORMATS else "json", "errors", errors, status)
