"""Write static/vendor/bootstrap/bootstrap.phone.min.css: Bootstrap cut to what we use."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from clients.pwa.css import source_texts, subset, used_names


class Command(BaseCommand):
    help = "Cut Bootstrap down to the classes the templates use, for the phone pages."

    def handle(self, *args: Any, **options: Any) -> None:
        folder = settings.BASE_DIR / "static" / "vendor" / "bootstrap"
        full = (folder / "bootstrap.min.css").read_text()
        words, prefixes = used_names(source_texts(settings.BASE_DIR))
        cut = subset(full, words, prefixes)
        (folder / "bootstrap.phone.min.css").write_text(cut)
        self.stdout.write(f"bootstrap.phone.min.css: {len(cut):,} of {len(full):,} bytes kept.")
