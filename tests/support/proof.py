"""Proof of fix through the API (issue #18): a `needs_proof` category's `resolve` names the id
of an "after" photo kept first with POST /api/v1/tickets/<n>/photos."""

from __future__ import annotations

from tests.support.console import png_bytes


def proof_photo(http, token: str, number: str, content: bytes | None = None, **form) -> int:
    """Keep an "after" photo for `number`'s resolve and return its id. The default, a PNG
    without EXIF, has neither place nor time, so it cannot be judged and is taken."""
    response = http.post(
        f"/api/v1/tickets/{number}/photos",
        files={"photo": ("sesudah.png", content or png_bytes(), "image/png")},
        data=form,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]
