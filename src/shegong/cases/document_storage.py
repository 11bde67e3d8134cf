"""Where documents 文件附件 are stored: SHEGONG_DOCUMENT_ROOT, read when a file is
saved or opened (so that a test's or a deployment's setting applies), apart from
MEDIA_ROOT and with no URL: a document leaves only through the download view."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class DocumentStorage(FileSystemStorage):
    @property
    def base_location(self):
        return settings.SHEGONG_DOCUMENT_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        # FileSystemStorage.url() refuses a storage without a base URL.
        return None

    def url(self, name):
        raise ValueError("Documents have no URL: they are sent by the download view.")


document_storage = DocumentStorage()


def check_document_root(app_configs=None, **kwargs):
    """A system check (`shegong check`, and at every start): the documents'
    folder must not lie in or contain a folder the web server serves (STATIC_ROOT,
    MEDIA_ROOT), nor the reverse."""
    from django.core.checks import Error

    root = Path(settings.SHEGONG_DOCUMENT_ROOT).resolve()
    errors = []
    for name in ("STATIC_ROOT", "MEDIA_ROOT"):
        served = getattr(settings, name, None)
        if not served:
            continue
        served = Path(served).resolve()
        if root == served or root.is_relative_to(served) or served.is_relative_to(root):
            errors.append(
                Error(
                    f"SHEGONG_DOCUMENT_ROOT ({root}) overlaps {name} ({served}): "
                    "documents must be stored where no URL serves them.",
                    id="shegong.E101",
                )
            )
    return errors
