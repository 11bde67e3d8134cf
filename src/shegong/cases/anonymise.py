"""The anonymisation check of the excellent-case library 优秀案例.

A write-up is refused while any of its texts contains one of the client's
identifiers. The rule (docs/architecture.md "Excellent-case library"):

- name: the client's full name, and the given name when it has two or more
  characters (陈秀英 → 陈秀英, 秀英);
- household: the same for every member of the client's household and for the
  guardian named in a consent;
- ID number: the full number, or any run of six or more of its characters in
  sequence (the birth date, the last six with the check character…);
- phone: the client's or a household member's number, and any 11-digit
  mainland mobile number at all;
- address: the client's or household's address, or a distinctive part of it
  (road and number, estate, building, room), leaving out the city, district
  and street, which the station's name already tells.

Digits are compared after Unicode NFKC (full-width １３８ reads as 138) with
spaces and hyphens between digits removed (138-0013-8000 reads as one number).
The message names the kind of identifier, never the identifier itself.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from shegong.clients import identity

NAME = "name"
HOUSEHOLD = "household"
ID_NUMBER = "id_number"
PHONE = "phone"
MOBILE = "mobile"
ADDRESS = "address"

MESSAGES = {
    NAME: _("This text contains the client's name. Use an alias such as “client A”."),
    HOUSEHOLD: _(
        "This text contains the name of a member of the client's household. "
        "Use a relation such as “the client's daughter”."
    ),
    ID_NUMBER: _("This text contains the client's ID number or part of it. Remove it."),
    PHONE: _("This text contains the client's phone number. Remove it."),
    MOBILE: _("This text contains a mobile phone number. Remove it."),
    ADDRESS: _(
        "This text contains the client's address or a distinctive part of it. "
        "Describe it generally, such as “an old estate in the street”."
    ),
}
# Reported in this order when a text holds several kinds.
ORDER = (NAME, HOUSEHOLD, ID_NUMBER, PHONE, MOBILE, ADDRESS)

ID_RUN = 6
_COMPOUND_SURNAMES = (
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
    "长孙", "宇文", "司徒", "夏侯", "端木", "西门", "南宫", "钟离", "轩辕", "万俟",
)  # fmt: skip
_DIGIT_GAP = re.compile(r"(?<=\d)[ \u00a0\-‐‑–—－]+(?=\d)")
_DIGITS = re.compile(r"\d+X?")
_MOBILE = re.compile(r"1[3-9]\d{9}")
# An address read as pieces, each ending with one of these; the longer suffixes
# first so that 街道 is not cut at 街.
_ADDRESS_PIECE = re.compile(
    r".+?(?:街道|大道|小区|社区|花园|大厦|广场|新村|号楼|单元|省|市|区|县|镇|乡|路|街|巷|里|坊|村|苑|庭|"
    r"号|栋|幢|座|楼|室|房)"
)
_ADMINISTRATIVE = ("省", "市", "区", "县", "街道", "镇", "乡")
# End in 区 but name a neighbourhood or an estate, not a public administrative unit.
_NEIGHBOURHOOD = ("社区", "小区", "园区")
MIN_ADDRESS_PIECE = 3


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return _DIGIT_GAP.sub("", text)


def _name_parts(name: str) -> list[str]:
    name = (name or "").strip()
    if len(name) < 2:
        return [name] if name else []
    surname_length = 2 if name[:2] in _COMPOUND_SURNAMES and len(name) > 2 else 1
    given = name[surname_length:]
    return [name, given] if len(given) >= 2 else [name]


def _address_parts(address: str, public: tuple[str, ...]) -> list[str]:
    address = unicodedata.normalize("NFKC", address or "").replace(" ", "")
    if not address:
        return []
    pieces = _ADDRESS_PIECE.findall(address)
    tail = address[sum(len(p) for p in pieces) :]
    if tail:
        pieces.append(tail)
    parts = [address]
    for piece in pieces:
        administrative = piece.endswith(_ADMINISTRATIVE) and not piece.endswith(_NEIGHBOURHOOD)
        if administrative or any(piece in p for p in public if p):
            continue
        if len(piece) >= MIN_ADDRESS_PIECE:
            parts.append(piece)
    return parts


@dataclass
class Identifiers:
    """What must not appear in the write-up of one case."""

    names: list[str] = field(default_factory=list)
    household_names: list[str] = field(default_factory=list)
    id_number: str = ""
    phones: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)

    def kinds_in(self, text: str) -> list[str]:
        plain = unicodedata.normalize("NFKC", text or "")
        squeezed = _normalise(text).upper()
        runs = _DIGITS.findall(squeezed)
        found = set()
        if any(n and n in plain for n in self.names):
            found.add(NAME)
        if any(n and n in plain for n in self.household_names):
            found.add(HOUSEHOLD)
        if self.id_number and self._has_id(squeezed, runs):
            found.add(ID_NUMBER)
        if any(p and any(p in run for run in runs) for p in self.phones):
            found.add(PHONE)
        elif any(_is_mobile(run) for run in runs):
            found.add(MOBILE)
        if any(a and a in plain.replace(" ", "") for a in self.addresses):
            found.add(ADDRESS)
        return [kind for kind in ORDER if kind in found]

    def _has_id(self, squeezed: str, runs: list[str]) -> bool:
        number = self.id_number
        if number in squeezed:
            return True
        windows = {number[i : i + ID_RUN] for i in range(len(number) - ID_RUN + 1)}
        return any(
            run[i : i + ID_RUN] in windows
            for run in runs
            if len(run) >= ID_RUN
            for i in range(len(run) - ID_RUN + 1)
        )


def _is_mobile(run: str) -> bool:
    if len(run) == 13 and run.startswith("86"):
        run = run[2:]
    return bool(_MOBILE.fullmatch(run))


def identifiers_of(case) -> Identifiers:
    """The client's identifiers, read (and the ID number decrypted) here only."""
    client = case.client
    station = case.station
    public = (station.name, station.street.name, station.street.district.name)
    found = Identifiers(names=_name_parts(client.name))
    if client.id_number_encrypted:
        found.id_number = identity.decrypt(client.id_number_encrypted)
    if client.phone:
        found.phones.append(client.phone)
    addresses = [client.address]
    relatives = []
    if client.household_id:
        household = client.household
        addresses.append(household.address)
        for member in household.members.exclude(pk=client.pk):
            relatives.append(member.name)
            if member.phone:
                found.phones.append(member.phone)
            addresses.append(member.address)
    relatives += [c.guardian_name for c in client.consents.all() if c.guardian_name]
    for name in relatives:
        found.household_names += [p for p in _name_parts(name) if p not in found.names]
    for address in dict.fromkeys(a for a in addresses if a):
        found.addresses += _address_parts(address, public)
    return found


def check_anonymous(case, texts: Mapping[str, str]) -> None:
    """Raise a ValidationError naming, per field, each kind of the client's
    identifiers found in `texts` (field name → text)."""
    found = identifiers_of(case)
    errors = {}
    for name, text in texts.items():
        kinds = found.kinds_in(text)
        if kinds:
            errors[name] = [ValidationError(MESSAGES[k], code=f"identifier_{k}") for k in kinds]
    if errors:
        raise ValidationError(errors)
