"""Bootstrap cut down to what the studio's templates can use, for the phone pages' budget.

The phone pages (today, log a session, the offline shell) must load in 60 KB: the whole
of Bootstrap is 31 KB of it. A rule is kept when every class its selector names appears
somewhere in the templates, the forms' templates or the code (a word anywhere counts,
so the cut errs on the side of keeping); `make css` writes the result.
"""

from __future__ import annotations

import importlib.util
import re
from collections.abc import Iterable
from pathlib import Path

_WORD = re.compile(r"[a-zA-Z][a-zA-Z0-9_-]*")
# A class built in a template, like alert-{{ message.tags }}: keep the whole family.
_PREFIX = re.compile(r"([a-z][a-z0-9-]*-)\{")
_CLASS = re.compile(r"\.([a-zA-Z][\w-]*)")


def used_names(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    words: set[str] = set()
    prefixes: set[str] = set()
    for text in texts:
        words |= set(_WORD.findall(text))
        prefixes |= set(_PREFIX.findall(text))
    return words, prefixes


def _blocks(text: str) -> list[tuple[str, str]]:
    """Top-level `head { body }` pairs of a minified style sheet."""
    out: list[tuple[str, str]] = []
    at = 0
    while (start := text.find("{", at)) >= 0:
        depth, end = 1, start + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(text[end], 0)
            end += 1
        out.append((text[at:start].strip(), text[start + 1 : end - 1]))
        at = end
    return out


def _selectors(head: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for char in head:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    return [*parts, current]


def subset(css: str, words: set[str], prefixes: set[str]) -> str:
    def known(name: str) -> bool:
        return name in words or name.startswith(tuple(prefixes))

    def keep(text: str) -> str:
        rules: list[str] = []
        frames: list[tuple[str, str]] = []
        for head, body in _blocks(text):
            if head.startswith(("@media", "@supports", "@container")):
                inner = keep(body)
                if inner:
                    rules.append(f"{head}{{{inner}}}")
            elif head.startswith("@keyframes"):
                frames.append((head, body))
            else:
                chosen = [
                    s
                    for s in _selectors(head)
                    if "data-bs-theme=dark" not in s and all(map(known, _CLASS.findall(s)))
                ]
                if chosen:
                    rules.append(f"{','.join(chosen)}{{{body}}}")
        kept = "".join(rules)
        return kept + "".join(f"{h}{{{b}}}" for h, b in frames if h.split()[-1] in kept)

    return keep(css)


def defined_classes(css: str) -> set[str]:
    return set(_CLASS.findall(css))


def source_texts(root: Path) -> list[str]:
    """Every template (ours and crispy's Bootstrap 5 pack), the apps' code and our scripts."""
    spec = importlib.util.find_spec("crispy_bootstrap5")
    assert spec is not None and spec.origin is not None
    pack = Path(spec.origin).parent
    files = [*(root / "templates").rglob("*.html"), *pack.rglob("*.html")]
    for app in ("clients", "coaching", "exercises"):
        files += (root / app).rglob("*.py")
    files += (root / "static" / "js").glob("*.js")
    return [f.read_text(errors="ignore") for f in sorted(files)]
