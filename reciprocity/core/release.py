"""Which release of the code this process runs: part of every cached page's key
(core/versioned_cache.py), so that a deploy never serves pages rendered by the previous code,
which may link to static files the new release no longer has.

`RECIPROCITY_RELEASE` when the deployment sets it (an image tag, a git commit); otherwise a
fingerprint of the package's code, templates, translations and static files, read once per
process (about 40 ms). It is computed from the files' contents, not their dates, so every machine
of one release agrees on it and shares the cached pages.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
# What a page's rendering depends on. Tests and caches of bytecode are left out.
SUFFIXES = frozenset({".py", ".html", ".txt", ".mo", ".json", ".css", ".js", ".svg"})


@cache
def release() -> str:
    return os.environ.get("RECIPROCITY_RELEASE", "").strip() or fingerprint(PACKAGE_DIR)


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix not in SUFFIXES or not path.is_file():
            continue
        relative = path.relative_to(root)
        if "tests" in relative.parts or "__pycache__" in relative.parts:
            continue
        digest.update(str(relative).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]
