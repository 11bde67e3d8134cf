"""Where documents 文件附件 are stored: SHEGONG_DOCUMENT_ROOT, read when a file is
saved or opened (so that a test's or a deployment's setting applies), apart from
MEDIA_ROOT and with no URL: a document leaves only through the download view."""

from __future__ import annotations

import os

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
