"""Exercise media on an S3-compatible store: a real local S3 endpoint (moto's server), no mocks.

The upload goes to the bucket through django-storages; the page links the video to
the store, which answers Range requests itself; the poster and the captions come
through our own views, read back from the bucket.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from moto.server import ThreadedMotoServer

from coaching.models import User
from exercises.models import Exercise
from tests.exercises.conftest import noisy_png

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
BUCKET = "studio-media"
KEYS = {"access_key": "test-key", "secret_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    s3.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def on_s3(settings: Any, s3_endpoint: str) -> Any:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "file_overwrite": False,
                **KEYS,
            },
        },
    }
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


def test_an_upload_lands_in_the_bucket_and_the_store_serves_ranges(
    on_s3: Any, s3_endpoint: str, client: HttpClient, coach_a: User, clip: bytes, captions: bytes
) -> None:
    client.force_login(coach_a)
    response = client.post(
        "/exercises/glute-bridge/media/",
        {
            "video": SimpleUploadedFile("clip.webm", clip, "video/webm"),
            "poster": SimpleUploadedFile("p.png", noisy_png(), "image/png"),
            "captions": SimpleUploadedFile("c.vtt", captions, "text/vtt"),
            "technique_at": "0:25",
        },
    )
    assert response.status_code == 302
    exercise = Exercise.objects.get(slug="glute-bridge")
    stored = on_s3.get_object(Bucket=BUCKET, Key=exercise.video.name)
    assert stored["Body"].read() == clip

    page = HttpClient().get("/exercises/glute-bridge/").content.decode()
    source = re.search(r'<source src="([^"]+)"', page)
    assert source is not None
    src = source.group(1).replace("&amp;", "&")
    assert src.startswith(f"{s3_endpoint}/{BUCKET}/exercises/glute-bridge/video-")
    ranged = urllib.request.urlopen(urllib.request.Request(src, headers={"Range": "bytes=10-19"}))
    assert ranged.status == 206
    assert ranged.headers["Content-Range"] == f"bytes 10-19/{len(clip)}"
    assert ranged.read() == clip[10:20]

    # Our own video address sends the player on to the store.
    moved = HttpClient().get("/exercises/glute-bridge/video/")
    assert moved.status_code == 302 and moved["Location"].startswith(s3_endpoint)
    poster = HttpClient().get(exercise.poster_src)
    assert poster["Content-Type"] == "image/webp" and len(poster.content) <= 10 * 1024
    assert HttpClient().get(exercise.captions_src).content.startswith(b"WEBVTT")


def settings_with(env: dict[str, str]) -> dict[str, Any]:
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    run_env.update({"DEBUG": "true", **env})
    code = (
        "import json; from django.conf import settings; "
        "print(json.dumps({'storage': settings.STORAGES['default'], "
        "'media_src': settings.SECURE_CSP['media-src']}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=run_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def test_without_a_bucket_media_stay_on_the_file_system() -> None:
    found = settings_with({})
    assert found["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["media_src"] == ["'self'"]


def test_a_bucket_in_the_environment_moves_media_to_s3_and_opens_the_csp_to_it() -> None:
    found = settings_with(
        {
            "AWS_STORAGE_BUCKET_NAME": "studio-media",
            "AWS_S3_ENDPOINT_URL": "https://s3.eu-west-2.example.net/",
            "AWS_S3_REGION_NAME": "eu-west-2",
        }
    )
    assert found["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["storage"]["OPTIONS"]["bucket_name"] == "studio-media"
    assert found["storage"]["OPTIONS"]["endpoint_url"] == "https://s3.eu-west-2.example.net"
    assert found["storage"]["OPTIONS"]["querystring_auth"] is True
    assert found["media_src"] == ["'self'", "https://s3.eu-west-2.example.net"]


def test_a_cdn_domain_is_the_origin_the_csp_allows() -> None:
    found = settings_with(
        {
            "AWS_STORAGE_BUCKET_NAME": "studio-media",
            "AWS_S3_CUSTOM_DOMAIN": "media.studio.example.com",
            "AWS_QUERYSTRING_AUTH": "false",
        }
    )
    assert found["storage"]["OPTIONS"]["custom_domain"] == "media.studio.example.com"
    assert found["storage"]["OPTIONS"]["querystring_auth"] is False
    assert found["media_src"] == ["'self'", "https://media.studio.example.com"]
