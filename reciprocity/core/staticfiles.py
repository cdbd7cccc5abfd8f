"""Static files in production: WhiteNoise's hashed and compressed storage, forgiving.

The manifest storage turns a `{% static %}` name missing from `staticfiles.json` (no
`collectstatic` yet, or a file added since) into an exception, so every page answered 500. Here
such a name falls back to its plain address, which WhiteNoise serves from the package through
the finders (WHITENOISE_USE_FINDERS); the error log says what to run. After `collectstatic`
every name is in the manifest and served hashed, compressed and cached for ever.
"""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger(__name__)


class ForgivingManifestStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False
    _reported: set[str] = set()

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:
            # Not collected: hashing needs the file in STATIC_ROOT, which is not there.
            if name not in self._reported:
                self._reported.add(name)
                logger.error("Static file %r is not collected: run `reciprocity collectstatic "
                             "--noinput` (served unhashed until then).", name)
            return name
