"""The proof-of-fix photo a citizen's "resolved" message links to (`/bukti/<signed>`, issue #18).

The link names one ticket's latest "after" photo through a signed value (services/proof.py): no
ticket number or token in the address, nothing to enumerate. Served only as what its bytes are.
"""

from __future__ import annotations

from flask import abort, send_file

from ticketing.citizen.views import bp
from ticketing.extensions import limiter
from ticketing.ratelimits import PUBLIC_READS_SCOPE, public_reads_limit
from ticketing.services.console import media_dir
from ticketing.services.media import MEDIA_RESPONSE_HEADERS, served_media
from ticketing.services.proof import photo_for_link


@bp.get("/bukti/<signed>")
@limiter.shared_limit(public_reads_limit, scope=PUBLIC_READS_SCOPE)
def proof_photo(signed: str):
    photo = photo_for_link(signed[:200])
    path = (media_dir() / photo.path).resolve() if photo is not None else None
    if path is None or not path.is_relative_to(media_dir().resolve()) or not path.is_file():
        abort(404)
    media = served_media(path)
    if not media.inline:
        abort(404)
    response = send_file(media.path, mimetype=media.mimetype, max_age=0, download_name=media.download_name)
    response.headers["Content-Disposition"] = "inline"
    response.headers.update(MEDIA_RESPONSE_HEADERS)
    return response
