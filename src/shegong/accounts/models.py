"""Staff accounts. Residents never log in; they answer surveys from a link."""

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from shegong.core.roles import ROLE_LEVEL, Level, Role, anchor_field
from shegong.core.scope import Scope, ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    pass


class ScopedUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A staff account with one role, anchored at one place in the organisation tree."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    city = models.ForeignKey(
        "org.City", on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("city")
    )
    district = models.ForeignKey(
        "org.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officers",
        verbose_name=_("district"),
    )
    street = models.ForeignKey(
        "org.Street",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("street or town"),
        help_text=_("For a street office: the street whose stations' services it buys."),
    )
    agency = models.ForeignKey(
        "org.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managers",
        verbose_name=_("agency"),
    )
    station = models.ForeignKey(
        "org.Station",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("station"),
    )
    # An evaluator's stations come from their assignments in evaluation rounds
    # (evaluation.RoundAssignment); their `city` lets the city officer find them.

    objects = ScopedUserManager()
    scope = Scope(
        city=(
            "city",
            "district__city",
            "station__street__district__city",
            "agency__city",
            "evaluation_assignments__evaluation__round__city",
        ),
        district=("district", "station__street__district"),
        agency=("agency", "station__agency"),
        station="station",
        change_roles=frozenset({Role.CITY_OFFICER}),
        create_roles=frozenset({Role.CITY_OFFICER}),
        # Evaluators score stations; they have no business with staff lists.
        hidden_from=frozenset({Role.EVALUATOR}),
        distinct=True,
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        field = anchor_field(self.role)
        if field is None:
            return
        if getattr(self, f"{field}_id") is None:
            label = Level(ROLE_LEVEL[self.role]).label
            raise ValidationError({field: _("This role needs a %(level)s.") % {"level": label}})

    @property
    def anchor(self):
        """The organisation unit the account belongs to (for display)."""
        field = anchor_field(self.role)
        return None if field is None else getattr(self, field)
