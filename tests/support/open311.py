"""Open311 GeoReport v2 test helpers: the base path, XML records, posting a request."""

from __future__ import annotations

import xml.etree.ElementTree as ET

BASE = "/open311/v2"


def parse_xml(response) -> ET.Element:
    assert response.headers["Content-Type"].startswith("text/xml"), response.headers
    return ET.fromstring(response.content)


def xml_record(element: ET.Element) -> dict:
    """One flat element (a request, a service) as {tag: text or None}."""
    return {child.tag: child.text for child in element}


def post_request(http, fmt: str = "json", **form):
    return http.post(f"{BASE}/requests.{fmt}", data=form)
