"""Loading households, residents (with their consent), client classifications,
volunteers and group memberships, each row through the services' checks."""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from shegong.clients import identity
from shegong.clients.models import (
    ClientCategory,
    ClientStatus,
    Consent,
    Household,
    Resident,
)
from shegong.clients.services import (
    DuplicateResident,
    classification_check,
    consent_check,
    resident_check,
)
from shegong.community.models import Volunteer
from shegong.community.services import volunteer_check
from shegong.delivery.models import Group
from shegong.delivery.services import check_attendees
from shegong.golive.models import MigratedKind, OrgUnitKind, OrgUnitRecord
from shegong.golive.records_import.base import _NO, _YES, ImporterBase, _Row, _RowProblem
from shegong.org.models import Community, Station


class PeopleLoaders(ImporterBase):
    def _load_households(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        household = self.registered(MigratedKind.HOUSEHOLD, station, values["code"], Household)
        fields = {"name": values["name"].strip(), "address": values["address"]}
        if household is None:
            household = Household(station=station, **fields)
            household.full_clean()
            household.save()
            self.count(row, "created")
        elif {k: getattr(household, k) for k in fields} != fields:
            for key, value in fields.items():
                setattr(household, key, value)
            household.full_clean()
            household.save()
            self.count(row, "updated")
        else:
            self.count(row, "unchanged")
        self.remember(MigratedKind.HOUSEHOLD, station, values["code"], household)

    def _community(self, row: _Row, station: Station) -> Community | None:
        code = row.values["community"]
        if not code:
            return None
        record = OrgUnitRecord.objects.filter(kind=OrgUnitKind.COMMUNITY, code=code).first()
        community = (
            Community.objects.filter(pk=record.object_id, street_id=station.street_id).first()
            if record is not None
            else None
        )
        if community is None:
            self.row_error(
                row,
                "community",
                _("No community with code %(code)s in the station's street.") % {"code": code},
            )
            raise _RowProblem
        return community

    def _load_residents(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        gender = self.choice(row, "gender", self.genders)
        birth_date = self.date(row, "birth_date")
        household = None
        if values["household"]:
            household = self.registered(
                MigratedKind.HOUSEHOLD, station, values["household"], Household
            )
            if household is None:
                self.row_error(
                    row,
                    "household",
                    _(
                        "No household with code %(code)s at station %(station)s (in the "
                        "sheet 家庭 or an earlier import)."
                    )
                    % {"code": values["household"], "station": station.code},
                )
                raise _RowProblem
        community = self._community(row, station)
        consent_on = self.date(row, "consent_on")
        details = {
            "station": station,
            "name": values["name"],
            "gender": gender,
            "birth_date": birth_date,
            "id_number": values["id_number"],
            "phone": values["phone"],
            "address": values["address"],
            "household": household,
            "household_role": values["household_role"],
            "community": community,
            "created_by": self.actor,
        }
        existing = self.registered(MigratedKind.RESIDENT, station, values["code"], Resident)
        new = None
        if existing is None:
            new, existing = self._same_person(row, details)
        if new is not None:
            resident = new
            resident.save()
            outcome = "created"
        else:
            resident, outcome = self._update_resident(row, existing, details)
        self.claimed[resident.pk] = row.number
        if consent_on is not None and self._consent(row, resident, consent_on):
            outcome = "updated" if outcome == "unchanged" else outcome
        self.count(row, outcome)
        self.remember(MigratedKind.RESIDENT, station, values["code"], resident)

    def _same_person(self, row: _Row, details: dict) -> tuple[Resident | None, Resident | None]:
        """(the new resident, checked and unsaved, or None; the resident on file this
        row describes, or None), by the registration's duplicate rule: the same ID
        number (its keyed hash), or the same name, birth date and mobile where the ID
        numbers do not differ."""
        try:
            return resident_check(**details), None
        except DuplicateResident as duplicate:
            matches = duplicate.matches
        number = identity.normalise_id_number(details["id_number"])
        digests = identity.lookup_hashes(number)
        same = next((m for m in matches if m.id_number_hash and m.id_number_hash in digests), None)
        if same is None:
            same = next((m for m in matches if not (digests and m.id_number_hash)), None)
        if same is not None and same.pk in self.claimed:
            self.row_error(
                row,
                "id_number" if digests else "name",
                _("The same person as row %(row)d (ID number, or name, birth date and mobile).")
                % {"row": self.claimed[same.pk]},
            )
            raise _RowProblem
        if same is None:
            return resident_check(**details, allow_similar=True), None
        return None, same

    def _update_resident(self, row: _Row, resident: Resident, details: dict):
        try:
            checked = resident_check(**details, allow_similar=True, exclude_pk=resident.pk)
        except DuplicateResident:
            self.row_error(
                row,
                "id_number",
                _("A resident with this ID number is already registered at the station."),
            )
            raise _RowProblem from None
        if not checked.id_number_hash and resident.id_number_encrypted:
            # The form's rule: a birth date agrees with the ID number on file.
            stored = identity.decrypt(resident.id_number_encrypted)
            if identity.id_birth_date(stored) != checked.birth_date:
                self.row_error(row, "birth_date", _("The birth date does not match the ID number."))
                raise _RowProblem
        fields = ["name", "gender", "birth_date"]
        # Empty cells leave what is on file as it is.
        for name in ("phone", "address", "household_id", "household_role", "community_id"):
            if getattr(checked, name):
                fields.append(name)
        if checked.id_number_hash and checked.id_number_hash != resident.id_number_hash:
            fields += ["id_number_hash", "id_number_encrypted", "id_number_masked"]
        changed = [name for name in fields if getattr(resident, name) != getattr(checked, name)]
        if not changed:
            return resident, "unchanged"
        for name in changed:
            setattr(resident, name, getattr(checked, name))
        resident.version += 1
        resident.full_clean()
        resident.save()
        return resident, "updated"

    def _consent(self, row: _Row, resident: Resident, consent_on: datetime.date) -> bool:
        if resident.consents.filter(recorded_on=consent_on, withdrawn_on__isnull=True).exists():
            return False
        guardian = row.values["guardian"].strip()
        consent = consent_check(
            resident=resident,
            recorded_on=consent_on,
            recorded_by=self.actor,
            given_by=Consent.GivenBy.GUARDIAN if guardian else Consent.GivenBy.SELF,
            guardian_name=guardian,
        )
        consent.save()
        return True

    def _load_statuses(self, row: _Row) -> None:
        station = self.station(row)
        resident = self.resident(row, station)
        domain = self.choice(row, "domain", self.basic_domains)
        category = self.choice(row, "category", self.categories)
        priority_kind = ""
        if category == ClientCategory.PRIORITY:
            priority_kind = self.choice(row, "priority_kind", self.priority_kinds)
        started_on = self.date(row, "started_on")
        ended_on = self.date(row, "ended_on")
        classification_check(domain=domain, category=category, priority_kind=priority_kind)
        fields = {"category": category, "priority_kind": priority_kind, "ended_on": ended_on}
        statuses = ClientStatus.objects.filter(resident=resident, station=station, domain=domain)
        status = statuses.filter(started_on=started_on).first()
        if status is not None and ended_on is None:
            # An empty end date leaves the period as it is on file: ended by the
            # next period (which the import itself does) or on the platform.
            del fields["ended_on"]
        if status is not None:
            if {k: getattr(status, k) for k in fields} == fields:
                self.count(row, "unchanged")
                return
            for key, value in fields.items():
                setattr(status, key, value)
            status.full_clean()
            status.save()
            self.count(row, "updated")
        else:
            current = statuses.filter(ended_on__isnull=True).first()
            if current is not None:
                if started_on <= current.started_on and (
                    ended_on is None or ended_on >= current.started_on
                ):
                    self.row_error(
                        row,
                        "started_on",
                        _("The new classification must start after the current one."),
                    )
                    raise _RowProblem
                if started_on > current.started_on:
                    current.ended_on = started_on - datetime.timedelta(days=1)
                    current.save(update_fields=["ended_on", "updated_at"])
            status = ClientStatus(
                resident=resident, station=station, domain=domain, started_on=started_on, **fields
            )
            status.full_clean()
            status.save()
            self.count(row, "created")
        self.served[station.pk].add(resident.pk)

    def _load_volunteers(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        party = values["party"].strip().lower()
        if party not in _YES | _NO:
            self.row_error(row, "party", _("Write 是 or 否."))
            raise _RowProblem
        checked = volunteer_check(
            station=station,
            name=values["name"],
            consent_on=self.date(row, "consent_on"),
            registered_on=self.date(row, "registered_on"),
            phone=values["phone"],
            skills=values["skills"],
            is_party_member=party in _YES,
        )
        volunteer = self.registered(MigratedKind.VOLUNTEER, station, values["code"], Volunteer)
        fields = ["name", "phone", "skills", "is_party_member", "registered_on", "consent_on"]
        if volunteer is None:
            volunteer = checked
            volunteer.save()
            self.count(row, "created")
        else:
            changed = [f for f in fields if getattr(volunteer, f) != getattr(checked, f)]
            for name in changed:
                setattr(volunteer, name, getattr(checked, name))
            if changed:
                volunteer.full_clean()
                volunteer.save()
            self.count(row, "updated" if changed else "unchanged")
        self.remember(MigratedKind.VOLUNTEER, station, values["code"], volunteer)

    def _load_memberships(self, row: _Row) -> None:
        station = self.station(row)
        resident = self.resident(row, station)
        name = row.values["group"].strip()
        groups = list(Group.objects.filter(station=station, name=name)[:2])
        if len(groups) != 1:
            message = (
                _("No group named %(name)s at station %(station)s: create it on the platform.")
                if not groups
                else _("Station %(station)s has several groups named %(name)s.")
            )
            self.row_error(row, "group", message % {"name": name, "station": station.code})
            raise _RowProblem
        group = groups[0]
        check_attendees(station.pk, [resident])
        if group.members.filter(pk=resident.pk).exists():
            self.count(row, "unchanged")
            return
        group.members.add(resident)
        self.count(row, "created")
