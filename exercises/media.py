"""What an exercise's media may be, decided from the bytes themselves.

Pure functions over bytes and numbers: the forms (coach page and admin) call them
to check an upload, and the video view calls `byte_range` to answer a Range header.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import filetype
from PIL import Image, ImageOps

VIDEO_TYPES = {"video/mp4": "mp4", "video/webm": "webm"}
# Enough for a short coaching clip at phone quality; the setting can raise it.
DEFAULT_VIDEO_MAX_MB = 50
POSTER_MAX_BYTES = 10 * 1024
POSTER_SOURCE_MAX_BYTES = 15 * 1024 * 1024
POSTER_SOURCE_MAX_PIXELS = 40_000_000
POSTER_WIDTH = 640
CAPTIONS_MAX_BYTES = 200 * 1024


class MediaError(ValueError):
    """An upload that cannot be used; the message is for the coach."""


def video_type(head: bytes) -> str:
    """The video's MIME type from its first bytes (mp4 or webm), or MediaError."""
    kind = filetype.guess(head)
    if kind is None or kind.mime not in VIDEO_TYPES:
        found = f" (this file looks like {kind.mime})" if kind else ""
        raise MediaError(f"Upload an MP4 or WebM video{found}.")
    return str(kind.mime)


def check_video_size(size: int, max_mb: int) -> None:
    if size > max_mb * 1024 * 1024:
        raise MediaError(f"The video is {size / 1024 / 1024:.0f} MB: the limit is {max_mb} MB.")


def make_poster(data: bytes) -> bytes:
    """A WebP poster of at most 10 KB from any still image Pillow can read.

    Smaller quality first, then smaller size, until it fits: a poster counts toward the
    phone pages' cold-load budget, where every kilobyte is paid for on a slow network.
    """
    if len(data) > POSTER_SOURCE_MAX_BYTES:
        raise MediaError("The poster image is too large: use one under 15 MB.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.width * image.height > POSTER_SOURCE_MAX_PIXELS:
                raise MediaError("The poster image has too many pixels: use a smaller one.")
            image.load()
    except MediaError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombWarning) as exc:
        raise MediaError("The poster must be an image (JPEG, PNG or WebP).") from exc
    upright = ImageOps.exif_transpose(image).convert("RGB")
    width = min(POSTER_WIDTH, upright.width)
    while True:
        height = max(1, round(upright.height * width / upright.width))
        frame = upright.resize((width, height), Image.Resampling.LANCZOS)
        for quality in (60, 45, 30, 20, 10):
            out = io.BytesIO()
            frame.save(out, "WEBP", quality=quality, method=6)
            if out.tell() <= POSTER_MAX_BYTES:
                return out.getvalue()
        width = max(16, int(width * 0.75))


_CUE_TIMING = re.compile(r"^\s*(\d{2,}:)?\d{2}:\d{2}\.\d{3}\s+-->\s+(\d{2,}:)?\d{2}:\d{2}\.\d{3}")


def check_captions(data: bytes) -> str:
    """WebVTT text: UTF-8, starting with WEBVTT, with at least one timed cue."""
    if len(data) > CAPTIONS_MAX_BYTES:
        raise MediaError("The captions file is too large: the limit is 200 KB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MediaError("Captions must be a WebVTT file saved as UTF-8 text.") from exc
    first = text.split("\n", 1)[0].strip()
    if first != "WEBVTT" and not first.startswith(("WEBVTT ", "WEBVTT\t")):
        raise MediaError("Captions must be a WebVTT file: its first line is WEBVTT.")
    if not any(_CUE_TIMING.match(line) for line in text.splitlines()):
        raise MediaError("The captions file has no timed lines (like 00:01.000 --> 00:04.000).")
    return text.replace("\r\n", "\n")


def clock(seconds: int) -> str:
    """0:25, 1:05, 1:02:03: how a video player shows a time."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def content_range(self, size: int) -> str:
        return f"bytes {self.start}-{self.end}/{size}"


class RangeNotSatisfiable(Exception):
    """The range asks for bytes the file does not have: answer 416."""


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def byte_range(header: str, size: int) -> ByteRange | None:
    """The one byte range a Range header asks for, or None to send the whole file.

    Several ranges in one header, or a header we cannot read, get the whole file
    (RFC 9110 lets a server ignore Range); phones' players ask for one range at a time.
    """
    match = _RANGE.match(header.strip().replace(" ", ""))
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    if start >= size:
        raise RangeNotSatisfiable
    end = min(int(last), size - 1) if last else size - 1
    if end < start:
        return None
    return ByteRange(start, end)
