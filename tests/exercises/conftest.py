"""Exercise media tests: uploads go to a temporary media folder, never the project's."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def clip() -> bytes:
    """A 30-second WebM of 2 KB (a blue frame), made with ffmpeg."""
    return (FILES / "clip.webm").read_bytes()


@pytest.fixture
def mp4_clip() -> bytes:
    return (FILES / "clip.mp4").read_bytes()


@pytest.fixture
def captions() -> bytes:
    return (FILES / "captions.vtt").read_bytes()


def noisy_png(width: int = 1600, height: int = 900) -> bytes:
    """A photo-sized image that compresses badly: the worst case for the poster budget."""
    import io
    import os

    from PIL import Image

    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
