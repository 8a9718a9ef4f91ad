"""What a stored or uploaded file really is, told from its first bytes, never from its name or
the type a provider, a browser or a download claimed.

Only the four raster image types a browser renders without running anything, and the three
audio types its player plays (voice notes), are ever served inline; only the images are
accepted as a photo; anything else (SVG, HTML, PDF, …) is a download.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Leading bytes of each inline-safe image type (WebP is checked apart: RIFF....WEBP).
IMAGE_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
INLINE_IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
IMAGE_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}
# Enough leading bytes for every signature above.
SNIFF_BYTES = 16


# Voice notes a browser's <audio> plays: Ogg (WhatsApp's Opus voice notes), MP3, MP4/M4A audio.
# AMR and anything else stays a download.
AUDIO_EXTENSIONS = {"audio/ogg": ".ogg", "audio/mpeg": ".mp3", "audio/mp4": ".m4a"}
INLINE_AUDIO_TYPES = frozenset(AUDIO_EXTENSIONS)


def sniff_audio_type(data: bytes) -> str | None:
    """The real MIME type of an Ogg, MP3 or MP4 audio file from its bytes, else None."""
    head = bytes(data[:SNIFF_BYTES])
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"ID3") or (
        len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06
    ):
        return "audio/mpeg"  # an ID3 tag, or an MPEG audio frame sync with a layer set
    if head[4:8] == b"ftyp" and head[8:11] in (b"M4A", b"mp4", b"iso", b"3gp"):
        return "audio/mp4"
    return None


def sniff_image_type(data: bytes) -> str | None:
    """The real MIME type of a JPEG, PNG, GIF or WebP image from its bytes, else None."""
    head = bytes(data[:SNIFF_BYTES])
    for signature, mime_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            return mime_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


# Every media answer: nothing in it may run, load or be sniffed into something else, even
# when an operator opens the file in its own tab on the console's origin.
MEDIA_RESPONSE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Content-Type-Options": "nosniff",
}
DOWNLOAD_TYPE = "application/octet-stream"


@dataclass(frozen=True)
class ServedMedia:
    """How to answer with a stored file: inline only when its bytes are an image."""

    path: Path
    mimetype: str
    inline: bool
    download_name: str


def served_media(path: Path) -> ServedMedia:
    """Inline with the sniffed type for JPEG/PNG/GIF/WebP; as a download for anything else,
    whatever the provider, the browser or the download claimed it was."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    kind = sniff_image_type(head)
    if kind is not None:
        return ServedMedia(path, kind, True, path.stem + IMAGE_EXTENSIONS[kind])
    # A JPEG's bytes (FF D8 FF) also look like an MPEG frame sync: images are tried first.
    audio = sniff_audio_type(head)
    if audio is not None:
        return ServedMedia(path, audio, True, path.stem + AUDIO_EXTENSIONS[audio])
    return ServedMedia(path, DOWNLOAD_TYPE, False, path.stem + ".bin")
