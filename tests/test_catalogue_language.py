"""Issue 22, words: what citizens and officers read is Bahasa Indonesia, in one vocabulary.

A grep-style check: a list of common English words (none of them Indonesian) against every
message-catalogue string, the visible text of every page template, the demo city's OPD and
category names, and the API's error messages to citizens; plus a viewport meta tag on every
HTML page, so phones do not show a shrunken desktop page.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
TEMPLATES = sorted((PROJECT / "ticketing").rglob("templates/**/*.html"))
# Swagger UI is the API's developer tool, in its own words; every other page is for people.
READ_BY_PEOPLE = [path for path in TEMPLATES if path.name != "swagger.html"]

# Common English words that are not also Indonesian words or loanwords people here use
# ("data", "status", "email", "operator", "admin", "internal", "log", "valid" are left out
# on purpose).
ENGLISH = frozenset(
    """
the and or of to is are was were be been being please your you we our us this that these those
with for from not yes must may can cannot will should would an in on at by its as if than then
when which who what where why how all any some each every more most other such only own same so
too very just but because about into through during before after above below again once here
there both few nor new old first last next previous back home page search show hide open close
closed save cancel delete edit add remove update create submit send sent sign user users
name address description describe problem unknown invalid required error errors field fields
ticket tickets number category categories found missing wrong many try later denied forbidden
allowed give use given one two three day days hour hours minute minutes week month year date
time today yesterday tomorrow note notes reason report reports file files photo photos upload
download list view details continue done thanks thank welcome help hospital city officer citizen
system router out off over under up down none something went side body value values
""".split()
)


def english_words(text: str) -> list[str]:
    text = re.sub(r"\{[a-z_]+\}", " ", text)  # str.format placeholders are not words
    text = re.sub(r"`[^`]*`", " ", text)  # nor API field names quoted as code: `photo`
    return [word for word in re.findall(r"[A-Za-z][A-Za-z0-9]*", text) if word.lower() in ENGLISH]


def visible_text(template: str) -> str:
    """What a person reads in a template: text between tags and the attributes shown to them,
    without Jinja code, scripts, styles, <code> samples or machine-only attributes."""
    text = re.sub(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", " ", template, flags=re.S)
    text = re.sub(r"<(script|style|code)\b.*?</\1>", " ", text, flags=re.S | re.I)
    shown = re.findall(r'\b(?:title|placeholder|alt|aria-label|data-confirm|content)="([^"]*)"', text)
    shown = [value for value in shown if not re.fullmatch(r"[\w\-=,. ]*(?:width|device)[\w\-=,. ]*", value)]
    text = re.sub(r"<[^>]*>", " ", text)
    text = re.sub(r'[\w-]+="[^"]*"', " ", text)  # attributes written by a block outside a tag
    return " ".join([*shown, text])


def test_catalogue_texts_have_no_english():
    from ticketing.catalogue import CATALOGUE

    found = {key: english_words(value) for key, value in CATALOGUE["id"].items()}
    assert {key: words for key, words in found.items() if words} == {}


@pytest.mark.parametrize("path", READ_BY_PEOPLE, ids=lambda p: str(p.relative_to(PROJECT)))
def test_template_text_has_no_english(path):
    assert english_words(visible_text(path.read_text())) == []


def _literals(node) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [" ".join(part.value for part in node.values if isinstance(part, ast.Constant))]
    if isinstance(node, ast.Dict):
        return [text for value in node.values for text in _literals(value)]
    if isinstance(node, (ast.List, ast.Tuple)):
        return [text for item in node.elts for text in _literals(item)]
    return []


# Which arguments people read: APIError(status, code, message, fields) -> message and the
# fields' texts; ValidationError(message, field_name) -> message; _fail(message, field, detail).
READ_ARGUMENTS = {
    "APIError": (2, 3),
    "ValidationError": (0,),
    "_fail": (0, 2),
    "ConnectionRefusedError": (0,),
}
# Provider webhooks answer Twilio and Meta, and Open311 answers apps in GeoReport's own terms.
MACHINE_AUDIENCES = ("channels", "open311")


def test_error_messages_written_in_the_code_have_no_english():
    found = []
    for path in sorted((PROJECT / "ticketing").rglob("*.py")):
        if path.relative_to(PROJECT / "ticketing").parts[0] in MACHINE_AUDIENCES:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "func", None) and getattr(node.func, "id", None)
            if name not in READ_ARGUMENTS:
                continue
            for index in READ_ARGUMENTS[name]:
                for text in _literals(node.args[index]) if index < len(node.args) else []:
                    if english_words(text):
                        found.append(f"{path.relative_to(PROJECT)}:{node.lineno} {text!r}")
    assert found == []


def test_demo_city_names_have_no_english():
    city = json.loads((PROJECT / "config" / "demo_city.json").read_text())
    names = [item["name"] for item in (*city["opds"], *city["categories"])]
    assert {name: english_words(name) for name in names if english_words(name)} == {}


def test_statuses_have_one_vocabulary_everywhere():
    from ticketing import catalogue
    from ticketing.console.views import STATUS_LABELS as CONSOLE
    from ticketing.models import STATUSES
    from ticketing.wall.views import STATUS_LABELS as WALL

    catalogue = {status: catalogue.text(f"status.{status}") for status in STATUSES}
    assert WALL == catalogue
    assert {status: CONSOLE[status] for status in STATUSES} == catalogue
    console_js = (PROJECT / "ticketing/console/static/console/console.js").read_text()
    assert '"Dikerjakan"' not in console_js and '"Baru"' not in console_js


def test_history_actors_in_words():
    from ticketing import catalogue

    assert catalogue.actor("citizen") == "Warga"
    assert catalogue.actor("citizen:whatsapp") == "Warga (lewat WhatsApp)"
    assert catalogue.actor("system") == "Sistem"
    assert catalogue.actor("router") == "Sistem (perutean otomatis)"
    assert catalogue.actor("petugas.pupr") == "petugas.pupr"  # a staff username as it is


def _texts(value) -> list[str]:
    """The texts in a `fields` tree (its keys are the API's field names, not words)."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return [value] if isinstance(value, str) else []


def _error(response) -> dict:
    error = response.get_json()["error"]
    everything = " | ".join([error["message"], *_texts(error["fields"])])
    assert english_words(everything) == [], everything
    return error


def test_api_errors_to_citizens_are_indonesian(client):
    blank = client.post("/api/v1/complaints", json={"description": "   "})
    assert blank.status_code == 422
    error = _error(blank)
    assert error["code"] == "invalid_fields"  # codes stay English snake_case for programs
    assert error["fields"]["description"] == ["Tuliskan masalahnya."]

    missing = client.post("/api/v1/complaints", json={"location": {"lat": 1}})
    error = _error(missing)
    assert error["fields"]["description"] == ["Wajib diisi."]
    assert error["fields"]["location"]["lat"]

    too_long = _error(
        client.post(
            "/api/v1/complaints", json={"description": "Jalan rusak", "reporter": {"name": "x" * 500}}
        )
    )
    assert too_long["fields"]["reporter"]["name"] == ["Paling banyak 120 karakter."]

    for response, code in (
        (client.post("/api/v1/complaints", data="{", content_type="application/json"), "malformed_json"),
        (client.post("/api/v1/complaints", data="x", content_type="text/plain"), "unsupported_media_type"),
        (client.get("/api/v1/complaints/ABCD-2345?token=salah"), "not_found"),
        (client.get("/api/v1/tidak-ada"), "not_found"),
        (client.get("/api/v1/tickets"), "unauthorized"),
        (client.delete("/api/v1/complaints"), "method_not_allowed"),
    ):
        assert _error(response)["code"] == code


def _pages(app) -> list[str]:
    """Every GET route without parameters, plus the pages that need one."""
    paths = sorted(
        {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and not rule.arguments}
    )
    return [*paths, "/reports/monthly?month=2026-11"]


def test_every_html_page_has_a_viewport_meta_tag(client, app):
    pages = []
    for path in _pages(app):
        # Closed in the request's own context: a streamed page (an export) left to the garbage
        # collector would close its generator after the context is gone.
        with client.get(path) as response:
            if response.status_code == 200 and response.mimetype == "text/html":
                pages.append(path)
                html = response.get_data(as_text=True)
                assert re.search(r'<meta name="viewport" content="width=device-width', html), path
    for expected in ("/wall", "/console/login", "/reports/monthly?month=2026-11"):
        assert expected in pages, pages
    # Templates that are whole documents carry it too (pages behind a login included).
    for path in TEMPLATES:
        text = path.read_text()
        if "<html" in text:
            assert 'name="viewport"' in text, path
