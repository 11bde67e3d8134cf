"""Staff accounts import 人员账号导入: one sheet, a row per account (name, mobile,
role, anchor, optionally post and qualification), loaded all or nothing with a row
report, like the organisation import.

No account is ever created with a known password: a new account gets an unusable
one and a one-time activation link (`ActivationToken`, valid ACTIVATION_DAYS, used
once) on which its owner sets a password that passes Django's validators. The
links are returned to the importing person once; only their hashes are stored.
Accounts of the importer's scope that the sheet no longer lists are leavers:
listed, and deactivated only when the import is confirmed. Every account change is
audited through the User model's registration in core.audited.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.core import audit
from shegong.core.access import ensure_visible
from shegong.core.roles import ACCOUNT_LEVEL, IMPORTABLE_ROLES, LEVEL_FIELD, Level, Role
from shegong.core.scope import CHANGE, CREATE, may
from shegong.golive.models import ActivationToken
from shegong.golive.org_import import RowError, WorkbookError, _cell_text, read_workbook
from shegong.org.models import Agency, City, District, Station
from shegong.workforce import services as workforce
from shegong.workforce.models import Post, Qualification, StaffProfile

ACTIVATION_DAYS = 7
SHEET_TITLE = "人员"
_MOBILE = re.compile(r"^1\d{10}$")
_USERNAME = re.compile(r"^[\w.@+-]{1,150}$")
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    required: bool = False


COLUMNS = (
    Column("username", "用户名"),
    Column("full_name", "姓名", True),
    Column("phone", "手机号", True),
    Column("role", "角色", True),
    Column("anchor", "所属单位代码", True),
    Column("post", "岗位"),
    Column("qualification", "资质"),
    Column("certificate_number", "证书编号"),
    Column("certified_on", "取证日期"),
    Column("employed_since", "入职日期"),
)
HEADERS = [column.header for column in COLUMNS]
# The anchor's model and the field its code is in, per level.
ANCHORS: dict[str, tuple[type[models.Model], str]] = {
    Level.CITY: (City, "code"),
    Level.DISTRICT: (District, "code"),
    Level.AGENCY: (Agency, "credit_code"),
    Level.STATION: (Station, "code"),
}


@dataclass
class Activation:
    username: str
    full_name: str
    token: str  # the raw token: shown once, never stored


@dataclass
class StaffImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    leavers: list[str] = field(default_factory=list)
    deactivated: int = 0
    activations: list[Activation] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0


class _Rollback(Exception):
    pass


def _words(choices) -> dict[str, str]:
    words = {value: value for value in choices.values}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            words.update({str(label): value for value, label in choices.choices})
    return words


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def activation_issue(*, user: User) -> str:
    """A new one-time link token for `user`; earlier unused links stop working."""
    now = timezone.now()
    user.activation_tokens.filter(used_at__isnull=True).update(used_at=now)
    token = secrets.token_urlsafe(32)
    ActivationToken.objects.create(
        user=user,
        token_hash=_hash(token),
        expires_at=now + datetime.timedelta(days=ACTIVATION_DAYS),
    )
    return token


def activation_find(token: str) -> ActivationToken | None:
    """The token's record if it is unused and unexpired, else None."""
    record = (
        ActivationToken.objects.select_related("user")
        .filter(token_hash=_hash(token), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if record is None or not record.user.is_active:
        return None
    return record


@transaction.atomic
def activation_use(*, token: str, password: str) -> User:
    """Set the account's first password (validated by the caller's SetPasswordForm
    or here) and spend the token. A second use finds nothing."""
    from django.contrib.auth.password_validation import validate_password

    record = activation_find(token)
    if record is None:
        raise ValidationError(_("This activation link is not valid: used, replaced or expired."))
    locked = ActivationToken.objects.select_for_update().get(pk=record.pk)
    if locked.used_at is not None:
        raise ValidationError(_("This activation link is not valid: used, replaced or expired."))
    user = record.user
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    return user


@dataclass
class _Row:
    number: int
    values: dict[str, str]


class _StaffImporter:
    def __init__(self, actor: User, deactivate_leavers: bool):
        self.actor = actor
        self.deactivate_leavers = deactivate_leavers
        self.result = StaffImportResult()
        self.roles = {
            word: value for word, value in _words(Role).items() if value in IMPORTABLE_ROLES
        }
        self.posts = _words(Post)
        self.qualifications = _words(Qualification)
        self.seen: set[int] = set()

    def error(self, row: int | None, field_name: str, message: str) -> None:
        self.result.error_count += 1
        header = next((c.header for c in COLUMNS if c.field == field_name), "")
        self.result.errors.append(RowError(SHEET_TITLE, row, header, message))

    def read(self, workbook: dict[str, list[list[Any]]]) -> list[_Row]:
        raw = workbook.get(SHEET_TITLE) or next(iter(workbook.values()), [])
        if not raw:
            self.error(None, "", _("The sheet has no header row."))
            return []
        header = [_cell_text(cell).lstrip("\ufeff") for cell in raw[0]]
        positions = {}
        for column in COLUMNS:
            if column.header in header:
                positions[column.field] = header.index(column.header)
            elif column.required:
                self.error(1, column.field, _("The column is missing."))
        rows = []
        for number, cells in enumerate(raw[1:], start=2):
            if all(_cell_text(cell) == "" for cell in cells):
                continue
            values = {}
            for column in COLUMNS:
                position = positions.get(column.field)
                cell = cells[position] if position is not None and position < len(cells) else None
                if isinstance(cell, str) and cell.lstrip().startswith("="):
                    self.error(
                        number, column.field, _("The cell holds a formula; type the value itself.")
                    )
                    cell = None
                values[column.field] = _cell_text(cell)
                if column.required and not values[column.field]:
                    self.error(number, column.field, _("This cell is required."))
            values["username"] = values["username"] or values["phone"]
            rows.append(_Row(number, values))
        self.result.rows = len(rows)
        return rows

    def check(self, rows: list[_Row]) -> None:
        """Whole-sheet rules: one account per user name and per mobile."""
        usernames: dict[str, int] = {}
        mobiles: dict[str, int] = {}
        for row in rows:
            username, phone = row.values["username"], row.values["phone"]
            if phone and not _MOBILE.match(phone):
                self.error(
                    row.number,
                    "phone",
                    _("%(phone)s is not an 11-digit mobile number.") % {"phone": phone},
                )
            elif phone in mobiles:
                self.error(
                    row.number,
                    "phone",
                    _("Mobile %(phone)s is given to two accounts (also row %(row)d).")
                    % {"phone": phone, "row": mobiles[phone]},
                )
            elif phone:
                mobiles[phone] = row.number
            if username and not _USERNAME.match(username):
                self.error(
                    row.number,
                    "username",
                    _("The user name may hold letters, digits and @.+-_ only."),
                )
            elif username in usernames:
                self.error(
                    row.number,
                    "username",
                    _("User name %(username)s appears twice (also row %(row)d).")
                    % {"username": username, "row": usernames[username]},
                )
            elif username:
                usernames[username] = row.number
        # A mobile already held by another account.
        holders = dict(User.objects.filter(phone__in=mobiles).values_list("phone", "username"))
        for row in rows:
            holder = holders.get(row.values["phone"])
            if holder is not None and holder != row.values["username"]:
                self.error(
                    row.number,
                    "phone",
                    _("Mobile %(phone)s belongs to the account %(holder)s.")
                    % {"phone": row.values["phone"], "holder": holder},
                )

    def _anchor(self, row: _Row, role: str) -> dict[str, Any] | None:
        # Evaluators get their stations from evaluation rounds; the city places them.
        level = ACCOUNT_LEVEL[role]
        model, code_field = ANCHORS[level]
        code = row.values["anchor"]
        found = model._default_manager.visible_to(self.actor).filter(**{code_field: code}).first()
        if found is None:
            exists = model._default_manager.filter(**{code_field: code}).exists()
            message = (
                _("%(kind)s %(code)s is outside your scope.")
                if exists
                else _("No %(kind)s with code %(code)s.")
            )
            self.error(
                row.number,
                "anchor",
                message % {"kind": model._meta.verbose_name, "code": code},
            )
            return None
        anchor = dict.fromkeys(LEVEL_FIELD.values())
        anchor[LEVEL_FIELD[level]] = found
        return anchor

    def _date(self, row: _Row, field_name: str) -> datetime.date | None:
        text = row.values[field_name]
        if not text:
            return None
        match = _DATE.match(text)
        try:
            return datetime.date(*(int(part) for part in match.groups())) if match else None
        except ValueError:
            pass
        self.error(row.number, field_name, _("Write the date as YYYY-MM-DD."))
        return None

    def load_row(self, row: _Row) -> None:
        values = row.values
        problems = self.result.error_count
        role = self.roles.get(values["role"])
        if role is None:
            self.error(
                row.number,
                "role",
                _("Unknown role %(role)s: one of %(roles)s.")
                % {
                    "role": values["role"],
                    "roles": "、".join(str(Role(r).label) for r in IMPORTABLE_ROLES),
                },
            )
            return
        anchor = self._anchor(row, role)
        if anchor is None:
            return
        user = User.objects.filter(username=values["username"]).first()
        if user is not None and (
            user.is_superuser
            or not User.objects.visible_to(self.actor, CHANGE).filter(pk=user.pk).exists()
        ):
            self.error(
                row.number,
                "username",
                _("The account %(username)s exists outside what you may change.")
                % {"username": values["username"]},
            )
            return
        created = user is None
        if created:
            user = User(username=values["username"])
            user.set_unusable_password()
        before = (
            user.full_name,
            user.phone,
            user.role,
            *(getattr(user, f"{f}_id") for f in LEVEL_FIELD.values()),
            user.is_active,
        )
        user.full_name, user.phone, user.role = values["full_name"], values["phone"], role
        for name, obj in anchor.items():
            setattr(user, name, obj)
        user.is_active = True
        try:
            user.full_clean(exclude=["password"])
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = {"username": "username", "full_name": "full_name", "phone": "phone"}.get(
                    name, "anchor"
                )
                self.error(row.number, column, messages[0])
            return
        after = (
            user.full_name,
            user.phone,
            user.role,
            *(getattr(user, f"{f}_id") for f in LEVEL_FIELD.values()),
            user.is_active,
        )
        if created or before != after:
            user.save()
            ensure_visible(self.actor, user)
        self._profile(row, user)
        if self.result.error_count > problems:
            return
        self.seen.add(user.pk)
        if created:
            self.result.created += 1
        elif before != after:
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        if not user.has_usable_password():
            self.result.activations.append(
                Activation(user.username, user.full_name, activation_issue(user=user))
            )

    def _profile(self, row: _Row, user: User) -> None:
        """Post and qualification, through the workforce services (their rules and
        their permissions: directors, agency managers and administrators)."""
        values = row.values
        if not values["qualification"] and not values["post"]:
            return
        post = self.posts.get(values["post"])
        qualification = self.qualifications.get(values["qualification"] or "none")
        if post is None:
            self.error(row.number, "post", _("Unknown post %(post)s.") % {"post": values["post"]})
        if qualification is None:
            self.error(
                row.number,
                "qualification",
                _("Unknown qualification %(q)s.") % {"q": values["qualification"]},
            )
        if post is None or qualification is None:
            return
        details = {
            "post": post,
            "qualification": qualification,
            "certificate_number": values["certificate_number"],
            "certified_on": self._date(row, "certified_on"),
            "employed_since": self._date(row, "employed_since"),
        }
        try:
            profile = StaffProfile.objects.filter(user=user).first()
            if profile is None:
                workforce.staff_profile_create(actor=self.actor, user=user, **details)
            else:
                workforce.staff_profile_update(actor=self.actor, profile=profile, **details)
        except PermissionDenied as error:
            self.error(row.number, "qualification", str(error))
        except ValidationError as error:
            fields = {c.field for c in COLUMNS}
            for name, messages in getattr(error, "message_dict", {"": error.messages}).items():
                self.error(row.number, name if name in fields else "qualification", messages[0])

    def leavers(self) -> None:
        gone = (
            User.objects.visible_to(self.actor, CHANGE)
            .filter(is_active=True, is_superuser=False, role__in=IMPORTABLE_ROLES)
            .exclude(pk__in=self.seen)
            .order_by("username")
        )
        for user in gone:
            self.result.leavers.append(user.username)
            if self.deactivate_leavers:
                user.is_active = False
                user.save(update_fields=["is_active"])
                self.result.deactivated += 1


def require_staff_import(actor: User) -> None:
    """403 unless the actor's role creates and changes accounts (city officers,
    administrators); each row's anchor is checked against their scope."""
    if not (may(actor, CREATE, User) and may(actor, CHANGE, User)):
        raise PermissionDenied(_("Your role cannot import staff accounts."))


def staff_import(
    *, actor: User, file: IO[bytes], deactivate_leavers: bool = False
) -> StaffImportResult:
    """Check and load the staff sheet in one transaction: every row or none."""
    require_staff_import(actor)
    importer = _StaffImporter(actor, deactivate_leavers)
    try:
        workbook = read_workbook(file)
    except WorkbookError as error:
        importer.error(None, "", str(error))
        return importer.result
    rows = importer.read(workbook)
    importer.check(rows)
    if not importer.result.ok:
        return importer.result
    try:
        with transaction.atomic(), audit.acting_as(actor):
            for row in rows:
                importer.load_row(row)
            if not importer.result.ok:
                raise _Rollback
            importer.leavers()
            audit.record(
                "import",
                object_type="accounts.user",
                object_repr=SHEET_TITLE,
                user=actor,
                detail={
                    "rows": importer.result.rows,
                    "created": importer.result.created,
                    "updated": importer.result.updated,
                    "leavers": len(importer.result.leavers),
                    "deactivated": importer.result.deactivated,
                },
            )
    except _Rollback:
        importer.result.created = importer.result.updated = importer.result.unchanged = 0
        importer.result.activations = []
    except IntegrityError:
        importer.error(
            None, "", _("The accounts changed while the file was loading; nothing was loaded.")
        )
        importer.result.activations = []
    return importer.result
