"""The pay table 社工薪酬 as data: a monthly pay per post, qualification and grade,
from a date. Guangzhou publishes pay guidance but no current official figures
were found, so a deployment enters its own table; the demo's rows are marked as
samples and every page showing them says so."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shegong.core.models import TimeStampedModel
from shegong.core.roles import Role
from shegong.core.scope import Scope, ScopedQuerySet

# Imported at the end of workforce.models, where these are already defined.
from shegong.workforce.models import Post, Qualification

MAX_GRADE = 10


class PayRate(TimeStampedModel):
    """One line of the pay table: what a staff member of this post, qualification
    and grade is paid a month (gross, in fen) from `valid_from`."""

    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    qualification = models.CharField(
        _("qualification"), max_length=16, choices=Qualification.choices
    )
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(MAX_GRADE)]
    )
    monthly_fen = models.PositiveIntegerField(_("monthly pay (fen)"))
    valid_from = models.DateField(_("from"))
    is_sample = models.BooleanField(
        _("sample value"),
        default=False,
        help_text=_("A value for demonstration, not an official figure."),
    )

    objects = ScopedQuerySet.as_manager()
    # A published table: every account reads it; the city keeps it.
    scope = Scope(
        public=Q(pk__isnull=False),
        change_roles=frozenset({Role.CITY_OFFICER}),
        create_roles=frozenset({Role.CITY_OFFICER}),
    )

    class Meta:
        verbose_name = _("pay rate")
        verbose_name_plural = _("pay table")
        ordering = ["post", "qualification", "grade", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "qualification", "grade", "valid_from"],
                name="pay_rate_one_per_grade_and_date",
                violation_error_message=_(
                    "The pay table already has a rate for this post, qualification and "
                    "grade from that date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=1, grade__lte=MAX_GRADE),
                name="pay_rate_grade_in_range",
                violation_error_message=_("A grade is from 1 to 10."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post}/{self.qualification}/{self.grade}: {self.monthly_fen}"

    @property
    def monthly_yuan(self) -> Decimal:
        return Decimal(self.monthly_fen) / 100
