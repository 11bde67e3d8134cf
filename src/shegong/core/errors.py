"""Errors shared by the apps' services."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class EditConflict(ValidationError):
    """Someone else saved the record since it was opened (optimistic locking)."""

    def __init__(self):
        super().__init__(
            _(
                "Someone else changed this record after you opened it. "
                "Reload it to see their changes, then edit again."
            ),
            code="conflict",
        )
