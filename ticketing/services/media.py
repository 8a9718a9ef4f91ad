"""What a stored or uploaded file really is, told from its first bytes, never from its name or
the type a provider, a browser or a download claimed.

Only the four raster image types a browser renders without running anything are ever served
inline or accepted as a photo; anything else (SVG, HTML, PDF, …) is a download.
"""
from __future__ import annotations

# Leading bytes of each inline-safe image type (WebP is checked apart: RIFF....WEBP).
IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
IMAGE_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif",
                    "image/webp": ".webp"}
# Enough leading bytes for every signature above.
SNIFF_BYTES = 16


def sniff_image_type(data: bytes) -> str | None:
    """The real MIME type of a JPEG, PNG, GIF or WebP image from its bytes, else None."""
    head = bytes(data[:SNIFF_BYTES])
    for signature, mime_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return mime_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None
