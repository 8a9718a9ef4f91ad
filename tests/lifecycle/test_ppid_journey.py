"""Issue #17, information requests (UU 14/2008) through the public API and WhatsApp: an `INFO`
request routed to a PPID, extended once, answered in part with a document within its deadline,
objected to by the requester, and answered by the atasan PPID; the requester hears every step
on WhatsApp (the fake Meta API receives each message)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support.processes import wait_for
from tests.support.tickets import bearer
from ticketing.models.base import utcnow

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def act(http, token, number, **body):
    response = http.post(f"/api/v1/tickets/{number}/actions", json=body, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()


def whatsapp_bodies(provider, count: int, to: str) -> list[str]:
    sent = provider.wait_for("whatsapp", count, timeout=45)
    return [r.json["text"]["body"] for r in sent if r.json.get("to") in (to, to.lstrip("+"))]


def test_info_request_on_whatsapp_is_answered_extended_objected_and_decided_by_the_superior(
    http, channels, provider, ready_worker, token_for
):
    from ticketing.services import sla

    ppid = token_for("ppid", "DISKOMINFO")
    atasan = token_for("atasan_ppid")
    digits = "6281300004171"
    channels.meta_text("INFO saya ingin meminta salinan dokumen anggaran dinas pendidikan tahun 2026", digits)

    def routed():
        items = http.get("/api/v1/tickets", headers=bearer(ppid)).json()["items"]
        return items[0] if items and items[0]["status"] == "assigned" else None

    item = wait_for(routed, timeout=60, message="the request reaches the PPID")
    number = item["ticket_number"]
    assert item["kind"] == "informasi" and item["opd"] == "DISKOMINFO"
    created = datetime.fromisoformat(item["created_at"])
    assert datetime.fromisoformat(item["due_at"]) == sla.add_working_days(created, 10)
    ack, forwarded = whatsapp_bodies(provider, 2, digits)[:2]
    assert number in ack
    assert "PPID" in forwarded and "paling lambat" in forwarded

    # Extended once, with the reason sent to the requester; a second extension is refused.
    extended = act(http, ppid, number, action="extend", note="Dokumen sedang dihimpun dari bidang anggaran.")
    due = datetime.fromisoformat(extended["due_at"])
    assert due == sla.add_working_days(datetime.fromisoformat(item["due_at"]), 7)
    again = http.post(
        f"/api/v1/tickets/{number}/actions", json={"action": "extend", "note": "lagi"}, headers=bearer(ppid)
    )
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_extended"
    assert "Dokumen sedang dihimpun dari bidang anggaran." in whatsapp_bodies(provider, 3, digits)[-1]

    # Answered in part, with the exemption ground and a PDF, within the deadline.
    document = http.post(
        f"/api/v1/tickets/{number}/documents",
        files={"document": ("jawaban.txt", PDF, "text/plain")},
        headers=bearer(ppid),
    )
    assert document.status_code == 201, document.text
    assert document.json()["content_type"] == "application/pdf"
    not_pdf = http.post(
        f"/api/v1/tickets/{number}/documents",
        files={"document": ("x.pdf", b"<html>bukan pdf</html>", "application/pdf")},
        headers=bearer(ppid),
    )
    assert not_pdf.status_code == 415
    missing_ground = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "decide", "decision": "partial", "note": "Sebagian."},
        headers=bearer(ppid),
    )
    assert missing_ground.status_code == 422 and "exemption" in missing_ground.json()["error"]["fields"]
    decided = act(
        http,
        ppid,
        number,
        action="decide",
        decision="partial",
        exemption="h",
        note="Rincian gaji per pegawai dihitamkan.",
        document=document.json()["id"],
    )
    assert (
        decided["status"] == "resolved" and decided["decision"] == "partial" and decided["exemption"] == "h"
    )
    assert datetime.fromisoformat(decided["decided_at"]) <= due
    answer = whatsapp_bodies(provider, 4, digits)[-1]
    assert "dikabulkan sebagian" in answer and "Pasal 17 huruf h" in answer and "rahasia pribadi" in answer
    assert "Dokumen jawaban" in answer

    # The requester objects on WhatsApp; the atasan PPID has 30 working days.
    channels.meta_text(f"KEBERATAN {number} rincian yang dihitamkan bukan data pribadi", digits)
    objection = whatsapp_bodies(provider, 5, digits)[-1]
    assert "Keberatan" in objection and "atasan PPID" in objection
    objected = http.get(f"/api/v1/tickets/{number}", headers=bearer(atasan)).json()
    assert objected["status"] == "objection"
    assert objected["objection_reason"] == "rincian yang dihitamkan bukan data pribadi"
    assert objected["objection_ground"] == "a"  # refused in part on an exemption, none named in chat
    objected_at = datetime.fromisoformat(objected["objection_at"])
    assert datetime.fromisoformat(objected["due_at"]) == sla.add_working_days(objected_at, 30)
    # Only the superior decides an objection.
    refused = http.post(
        f"/api/v1/tickets/{number}/actions",
        json={"action": "decide", "decision": "granted", "note": "x"},
        headers=bearer(ppid),
    )
    assert refused.status_code in (403, 404)
    final = act(http, atasan, number, action="decide", decision="granted", note="Seluruh rincian diberikan.")
    assert final["status"] == "resolved" and final["objection_decision"] == "granted"
    assert final["decision"] == "partial"  # the PPID's own answer stays on record
    last = whatsapp_bodies(provider, 6, digits)[-1]
    assert "Atasan PPID" in last and "dikabulkan seluruhnya" in last
    # A second objection is refused with the reason, not the window's sentence.
    channels.meta_text(f"KEBERATAN {number} saya tetap keberatan", digits)
    assert "sudah pernah diajukan" in whatsapp_bodies(provider, 7, digits)[-1]
    actions = [entry["action"] for entry in final["history"]]
    assert [a for a in actions if a in ("route", "extend", "decide", "object")] == [
        "route",
        "extend",
        "decide",
        "object",
        "decide",
    ]


def test_objection_through_the_tracking_token_and_its_windows(http, staff, token_for, make_ticket):
    ppid = token_for("ppid", "DISKOMINFO")
    created = http.post(
        "/api/v1/complaints",
        json={"description": "Minta data realisasi anggaran perbaikan jalan 2025", "kind": "informasi"},
    ).json()
    number, token = created["ticket_number"], created["tracking_token"]
    path = f"/api/v1/complaints/{number}/objection"
    act(http, staff["operator"], number, action="dispose", opd="DISKOMINFO", note="Permintaan informasi.")
    # Not yet answered and still within the deadline: no objection yet.
    early = http.post(path, params={"token": token}, json={"reason": "Belum dijawab"})
    assert early.status_code == 409 and early.json()["error"]["code"] == "objection_window"
    for exemption in (None, "z"):
        response = http.post(
            f"/api/v1/tickets/{number}/actions",
            json={"action": "decide", "decision": "refused", "exemption": exemption, "note": "Ditolak."},
            headers=bearer(ppid),
        )
        assert response.status_code == 422, exemption
    act(http, ppid, number, action="decide", decision="refused", exemption="c", note="Menyangkut keamanan.")
    assert http.post(path, params={"token": "salah"}, json={"reason": "Tidak setuju"}).status_code == 404
    assert http.post(path, params={"token": token}, json={}).status_code == 422
    # The ground is a letter of UU 14/2008 Art. 35(1), a to g.
    wrong = http.post(path, params={"token": token}, json={"reason": "Tidak setuju", "ground": "h"})
    assert wrong.status_code == 422 and set(wrong.json()["error"]["fields"]) == {"ground"}
    assert "Pasal 35" in wrong.json()["error"]["fields"]["ground"][0]
    objected = http.post(
        path, params={"token": token}, json={"reason": "Data anggaran bukan rahasia negara", "ground": "d"}
    )
    assert objected.status_code == 200, objected.text
    assert objected.json()["status"] == "objection"
    staff_view = http.get(f"/api/v1/tickets/{number}", headers=bearer(ppid)).json()
    assert staff_view["objection_ground"] == "d"
    assert http.post(path, params={"token": token}, json={"reason": "Lagi"}).status_code == 409
    act(
        http,
        token_for("atasan_ppid"),
        number,
        action="decide",
        decision="refused",
        exemption="c",
        note="Tetap.",
    )
    # One objection per request: after the superior's answer the next step is the Komisi Informasi.
    twice = http.post(path, params={"token": token}, json={"reason": "Lagi"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_objected"

    # A request whose deadline passed unanswered may be objected to at once.
    late = make_ticket(
        status="assigned", opd="DISKOMINFO", kind="informasi", due_at=utcnow() - timedelta(days=1)
    )
    missed = http.post(
        f"/api/v1/complaints/{late.ticket_number}/objection",
        params={"token": late.tracking_token},
        json={"reason": "Tidak ada jawaban sampai batas waktu"},
    )
    assert missed.status_code == 200, missed.text
    # No ground named: the one the ticket shows, here c (not answered).
    late_view = http.get(f"/api/v1/tickets/{late.ticket_number}", headers=bearer(staff["operator"])).json()
    assert late_view["objection_ground"] == "c"
    # A complaint is not an information request.
    complaint = make_ticket(status="resolved")
    response = http.post(
        f"/api/v1/complaints/{complaint.ticket_number}/objection",
        params={"token": complaint.tracking_token},
        json={"reason": "Tidak puas"},
    )
    assert response.status_code == 409
