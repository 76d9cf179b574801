"""The benchmark's database steps, run by bench/run.py in a subprocess per database.

    python -m bench.cli prepare --clients 2000 --manifest PATH
        build the studio if it is missing (then `recompute_gate`, when the app has it),
        run `tick` when the app has it, and write what the benchmark needs as JSON;
    python -m bench.cli cleanup --manifest PATH
        delete the sessions the benchmark's POSTs added and put the POST clients' rows
        back as they were before the run (so stored state matches again);
    python -m bench.cli media
        give every exercise a video, captions and a poster where it lacks them, through
        the upload's own checks (Lighthouse's /me/ then loads a poster, as it will once
        every stage has its video); MEDIA_ROOT says where the files go.

DATABASE_URL says which database; DJANGO_SETTINGS_MODULE defaults to bench.settings.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    from coaching.config import load_settings_or_exit

    load_settings_or_exit()
    import django

    django.setup()


def _run_if_present(name: str) -> float | None:
    """Run a management command if the app has it (stored gate state comes later)."""
    from django.core.management import call_command, get_commands

    if name not in get_commands():
        return None
    started = time.perf_counter()
    call_command(name)
    return round(time.perf_counter() - started, 2)


def prepare(n_clients: int, seed: int, manifest_path: Path) -> dict[str, Any]:
    from bench.data import generate
    from bench.data.manifest import (
        manifest,
        remove_sessions_added_by_bench,
        restore_post_clients,
        snapshot_post_clients,
    )

    started = time.perf_counter()
    generated = generate(n_clients, seed=seed)
    generation_s = round(time.perf_counter() - started, 2) if generated else None
    # A run stopped before its clean-up left sessions behind: remove them, and put the
    # POST clients back as that run found them.
    leftovers = 0 if generated else remove_sessions_added_by_bench()
    if leftovers and manifest_path.exists():
        previous = json.loads(manifest_path.read_text())
        if previous.get("generated_at") == manifest()["generated_at"]:
            restore_post_clients(previous["post_clients_snapshot"])
    recompute_s = _run_if_present("recompute_gate") if generated or leftovers else None
    tick_s = _run_if_present("tick")
    info = manifest()
    info.update(
        generated_now=generated,
        generation_s=generation_s,
        recompute_gate_s=recompute_s,
        tick_s=tick_s,
        leftover_sessions_removed=leftovers,
        post_clients_snapshot=snapshot_post_clients(),
    )
    manifest_path.write_text(json.dumps(info, indent=2))
    return {key: info[key] for key in ("clients", "sessions", "generated_now", "generation_s")}


def cleanup(manifest_path: Path) -> dict[str, Any]:
    """Delete the sessions the POSTs logged and put the POST clients' rows back as they were."""
    from django.db import transaction

    from bench.data.manifest import remove_sessions_added_by_bench, restore_post_clients

    info = json.loads(manifest_path.read_text())
    with transaction.atomic():  # all or nothing, so a failed clean-up leaves its leftovers
        deleted = remove_sessions_added_by_bench()
        restore_post_clients(info["post_clients_snapshot"])
    return {"deleted_sessions": deleted}


def media() -> dict[str, Any]:
    """A video (the tests' 2 KB WebM), captions and the worst poster: random noise, which
    compresses worst, so its WebP comes out at the 10 KB the upload allows."""
    import random
    from io import BytesIO

    from django.core.files.base import ContentFile
    from PIL import Image

    from exercises.media import check_captions, make_poster, video_type
    from exercises.models import Exercise
    from exercises.services import MediaChange, update_media

    files = Path(__file__).resolve().parent.parent / "tests" / "exercises" / "files"
    clip = (files / "clip.webm").read_bytes()
    captions = check_captions((files / "captions.vtt").read_bytes())
    noise = random.Random(1).randbytes(1600 * 900 * 3)
    image = BytesIO()
    Image.frombytes("RGB", (1600, 900), noise).save(image, "PNG")
    poster = make_poster(image.getvalue())
    added = 0
    for exercise in Exercise.objects.order_by("pk"):
        storage = exercise.video.storage
        if all(
            getattr(exercise, f) and storage.exists(getattr(exercise, f).name)
            for f in ("video", "poster", "captions")
        ):
            continue
        change = MediaChange(
            video=ContentFile(clip, name="clip.webm"),
            video_type=video_type(clip[:8192]),
            poster_webp=poster,
            captions_text=captions,
            technique_at=exercise.video_start_seconds or 25,
        )
        update_media(exercise=exercise, change=change)
        added += 1
    return {"exercises_given_media": added, "poster_bytes": len(poster)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cli", description=__doc__)
    steps = parser.add_subparsers(dest="step", required=True)
    step = steps.add_parser("prepare", help="build (once), tick, write the manifest")
    step.add_argument("--clients", type=int, required=True)
    step.add_argument("--seed", type=int, default=1)
    step.add_argument("--manifest", type=Path, required=True)
    step = steps.add_parser("cleanup", help="delete the sessions the benchmark added")
    step.add_argument("--manifest", type=Path, required=True)
    steps.add_parser("media", help="a video, captions and a poster for every exercise")
    args = parser.parse_args(argv)
    _setup()
    if args.step == "prepare":
        result = prepare(args.clients, args.seed, args.manifest)
    elif args.step == "media":
        result = media()
    else:
        result = cleanup(args.manifest)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
