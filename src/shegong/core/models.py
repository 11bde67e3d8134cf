"""Shared model pieces: statistical domains and the timestamp base."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Domain(models.TextChoices):
    """The four statistical domains every person-time belongs to (DESIGN.md)."""

    FAMILY = "family", _("Family")
    ELDERLY = "elderly", _("Elderly")
    YOUTH = "youth", _("Youth")
    FEATURED = "featured", _("Featured")


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True
