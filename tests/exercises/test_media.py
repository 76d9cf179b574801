"""The pure rules of exercise media: what a file is, how big a poster may be, ranges."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from exercises.media import (
    ByteRange,
    MediaError,
    RangeNotSatisfiable,
    byte_range,
    check_captions,
    check_video_size,
    clock,
    make_poster,
    video_type,
)
from tests.exercises.conftest import noisy_png


def test_a_video_is_known_by_its_content_not_its_name(clip: bytes, mp4_clip: bytes) -> None:
    """WebM and MP4 bytes are recognised; an image or a script renamed .mp4 is refused."""
    assert video_type(clip[:8192]) == "video/webm"
    assert video_type(mp4_clip[:8192]) == "video/mp4"
    with pytest.raises(MediaError, match="looks like image/png"):
        video_type(noisy_png(8, 8))
    with pytest.raises(MediaError, match="Upload an MP4 or WebM video"):
        video_type(b"#!/bin/sh\nrm -rf /\n")


def test_a_video_over_the_limit_is_refused() -> None:
    check_video_size(50 * 1024 * 1024, 50)
    with pytest.raises(MediaError, match="the limit is 50 MB"):
        check_video_size(50 * 1024 * 1024 + 1, 50)


def test_any_photo_becomes_a_webp_poster_of_at_most_10_kb() -> None:
    """Even random noise at 1600x900 (the least compressible photo) fits the budget."""
    poster = make_poster(noisy_png())
    assert len(poster) <= 10 * 1024
    image = Image.open(io.BytesIO(poster))
    assert image.format == "WEBP"
    assert image.width <= 640


def test_a_poster_that_is_not_an_image_is_refused() -> None:
    with pytest.raises(MediaError, match="must be an image"):
        make_poster(b"WEBVTT\n\nnot a picture")


def test_captions_must_be_webvtt_with_timed_lines(captions: bytes) -> None:
    assert check_captions(captions).startswith("WEBVTT")
    assert check_captions(b"\xef\xbb\xbfWEBVTT\r\n\r\n00:01.000 --> 00:02.000\r\nHi\r\n")
    with pytest.raises(MediaError, match="first line is WEBVTT"):
        check_captions(b"1\n00:00:01,000 --> 00:00:02,000\nAn SRT file\n")
    with pytest.raises(MediaError, match="no timed lines"):
        check_captions(b"WEBVTT\n\njust words\n")
    with pytest.raises(MediaError, match="UTF-8"):
        check_captions(b"WEBVTT\n\xff\xfe")


@pytest.mark.parametrize(
    ("seconds", "shown"), [(0, "0:00"), (25, "0:25"), (65, "1:05"), (3723, "1:02:03")]
)
def test_times_read_as_a_player_shows_them(seconds: int, shown: str) -> None:
    assert clock(seconds) == shown


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-", ByteRange(100, 999)),
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=990-2000", ByteRange(990, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("items=0-9", None),
        ("bytes=9-3", None),
        ("bytes=-", None),
    ],
)
def test_a_range_header_asks_for_one_span_or_the_whole_file(
    header: str, expected: ByteRange | None
) -> None:
    assert byte_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_a_range_past_the_end_cannot_be_satisfied(header: str) -> None:
    with pytest.raises(RangeNotSatisfiable):
        byte_range(header, 1000)
