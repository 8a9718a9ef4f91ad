"""The survey in a real browser (Playwright + Debian chromium) on a 390×844 phone: answered,
counted, refused the second time from the same browser; the same form without JavaScript; the
poster with its QR code; and the link the citizen of a resolved complaint gets."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.console import unlabelled_controls

ANSWERS = {"u1": 4, "u2": 3, "u3": 3, "u4": 2, "u5": 3, "u6": 4, "u7": 4, "u8": 3, "u9": 3}


def answer(page, answers=ANSWERS, not_applicable=()):
    for element, value in answers.items():
        if element not in not_applicable:
            page.click(f"label[for={element}-{value}]")
    page.click("text=Perempuan")
    page.fill("#age", "34")
    page.select_option("#education", "sma")
    page.select_option("#occupation", "wirausaha")
    page.fill("#comment", "Antrean sudah lebih cepat.")


def results(http, service):
    return next(r for r in http.get("/api/v1/skm/results").json() if r["service"] == service)


def test_survey_on_a_phone_counts_and_the_same_browser_is_refused(
    http, live_server, phone, skm_services, artifacts_dir
):
    page = phone.page()
    page.goto(live_server.base_url + "/skm/RSUD-DAFTAR-ONLINE")
    expect(page.locator("h1")).to_contain_text("Pendaftaran online rawat jalan")
    # Fits the phone: nothing wider than the screen; every control has a name a screen reader reads.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert unlabelled_controls(page) == []
    answer(page)
    page.screenshot(path=str(artifacts_dir / "skm-form-phone.png"), full_page=True)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/skm/RSUD-DAFTAR-ONLINE/terima-kasih$"))
    expect(page.locator("#thanks")).to_contain_text("sudah kami terima")
    row = results(http, "RSUD-DAFTAR-ONLINE")
    assert row["respondents"] == 1 and row["elements"]["u4"] == 2.0
    assert row["ikm"] == round(29 / 9 * 25, 2)  # (4+3+3+2+3+4+4+3+3) / 9 × 25 = 80.56

    # The same browser again: told it has answered, no second form.
    page.goto(live_server.base_url + "/skm/RSUD-DAFTAR-ONLINE")
    expect(page.locator("#notice")).to_contain_text("sudah mengisi survei")
    expect(page.locator("#skm-form")).to_have_count(0)
    assert page.console_errors == []


def test_without_javascript_the_form_works_and_names_missing_answers(http, live_server, phone, skm_services):
    context = phone.context(java_script_enabled=False)
    page = phone.page(context)
    page.goto(live_server.base_url + "/skm/KTP-EL")
    # No tariff at the civil registry: eight questions, u4 not asked.
    expect(page.locator("fieldset.question[id^=q-]")).to_have_count(8)
    expect(page.locator("#q-u4")).to_have_count(0)
    answers = dict(ANSWERS)
    answers.pop("u9")
    answer(page, answers, not_applicable=("u4",))
    page.click("label[for=u9-1]")  # the one left: the lowest answer
    page.fill("#phone", "0812 3457 7100")
    page.click("#submit")
    page.wait_for_url(re.compile(r"/skm/KTP-EL/terima-kasih$"))
    row = results(http, "KTP-EL")
    assert row["respondents"] == 1 and row["elements"]["u9"] == 1.0 and row["elements"]["u4"] is None

    # The same phone from another browser: refused with the reason.
    other = phone.page(phone.context(java_script_enabled=False))
    other.goto(live_server.base_url + "/skm/KTP-EL")
    answer(other, {**answers, "u9": 4}, not_applicable=("u4",))
    other.fill("#phone", "+6281234577100")
    other.click("#submit")
    expect(other.locator("#notice")).to_contain_text("sudah mengisi survei untuk layanan ini")
    assert results(http, "KTP-EL")["respondents"] == 1


def test_poster_carries_the_qr_code_of_the_form(http, skm_services):
    page = http.get("/skm/PBG/poster")
    assert page.status_code == 200
    assert "<svg" in page.text and "SKM PBG" in page.text and "/skm/PBG" in page.text
    assert "size: A4" in page.text


def test_resolved_complaint_links_to_its_opd_complaint_handling_survey(
    http, live_server, phone, skm_services, make_ticket
):
    ticket = make_ticket("resolved", opd="DISHUB", category="pju")
    page = phone.page()
    page.goto(f"{live_server.base_url}/lacak/{ticket.ticket_number}?token={ticket.tracking_token}")
    link = page.locator("#skm-link a")
    expect(link).to_contain_text("Survei Kepuasan Masyarakat")
    link.click()
    page.wait_for_url(re.compile(r"/skm/ADUAN-DISHUB\?"))
    answer(page, not_applicable=("u4",))
    page.click("#submit")
    page.wait_for_url(re.compile(r"/terima-kasih$"))
    row = results(http, "ADUAN-DISHUB")
    assert row["respondents"] == 1
    # The complaint's phone is the survey's phone: the citizen cannot answer twice by SMS.
    from tests.skm.conftest import an_answer

    again = http.post("/api/v1/skm/ADUAN-DISHUB/responses", json=an_answer(phone="+6281234567890"))
    assert again.status_code == 409
