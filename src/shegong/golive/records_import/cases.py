"""Loading open cases: their step, workers, risk and a history entry marked as
migrated."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from shegong.accounts.models import User
from shegong.cases.models import (
    Case,
    CaseAction,
    CaseEvent,
    CaseSource,
    CaseStatus,
)
from shegong.cases.services import case_open_check
from shegong.golive.models import MigratedKind
from shegong.golive.records_import.base import ImporterBase, _Row, _RowProblem
from shegong.org.models import Station

_SEPARATORS = re.compile(r"[、,，;；\s]+")


class CaseLoaders(ImporterBase):
    def _workers(self, row: _Row, station: Station) -> list[User]:
        names = [name for name in _SEPARATORS.split(row.values["workers"]) if name]
        found = {u.username: u for u in User.objects.filter(username__in=names)}
        unknown = [name for name in names if name not in found]
        if unknown:
            self.row_error(
                row,
                "workers",
                _("No staff account %(names)s.") % {"names": "、".join(unknown)},
            )
            raise _RowProblem
        return [found[name] for name in dict.fromkeys(names)]

    def _load_cases(self, row: _Row) -> None:
        station = self.station(row)
        values = row.values
        client = self.resident(row, station)
        domain = self.choice(row, "domain", self.domains)
        source = self.choice(row, "source", self.sources, default=CaseSource.WALK_IN)
        if self.all_steps.get(values["status"]) in (CaseStatus.CLOSED, CaseStatus.REFERRED):
            self.row_error(
                row,
                "status",
                _(
                    "Only open cases are imported (接案, 预估, 计划, 介入 or 评估); leave closed "
                    "and referred cases in the previous system's archive."
                ),
            )
            raise _RowProblem
        status = self.choice(row, "status", self.steps)
        risk_level = self.choice(row, "risk_level", self.risks, default="")
        opened_on = self.date(row, "opened_on")
        last_contact_on = self.date(row, "last_contact_on")
        workers = self._workers(row, station)
        case_open_check(client=client, domain=domain, opened_on=opened_on, workers=workers)
        fields = {
            "client": client,
            "domain": domain,
            "source": source,
            "status": status,
            "risk_level": risk_level,
            "opened_on": opened_on,
            "last_contact_on": last_contact_on,
        }
        detail = {
            "migrated": True,
            "number": values["code"],
            "step": status,
            "summary": values["summary"],
            "workers": sorted(w.pk for w in workers),
        }
        case = self.registered(MigratedKind.CASE, station, values["code"], Case)
        if case is None:
            if Case.objects.filter(station=station, number=values["code"]).exists():
                self.row_error(row, "code", _("This case number is already used at the station."))
                raise _RowProblem
            case = Case(station=station, number=values["code"], **fields)
            # The station and client were just read, the number checked above.
            case.full_clean(exclude=["station", "client"])
            case.save()
            case.workers.set(workers)
            CaseEvent.objects.create(
                case=case, actor=self.actor, action=CaseAction.MIGRATED, detail=detail
            )
            self.count(row, "created")
        elif case.events.exclude(action=CaseAction.MIGRATED).exists():
            # Worked on here since it came over: the platform's record is the
            # case's own now, and the previous system's row no longer changes it.
            self.count(row, "unchanged")
        else:
            event = case.events.filter(action=CaseAction.MIGRATED).first()
            changed = [k for k, v in fields.items() if getattr(case, k) != v]
            same_workers = sorted(case.workers.values_list("pk", flat=True)) == detail["workers"]
            if not changed and same_workers and event is not None and event.detail == detail:
                self.count(row, "unchanged")
            else:
                for key in changed:
                    setattr(case, key, fields[key])
                case.version += 1
                case.full_clean()
                case.save()
                case.workers.set(workers)
                if event is None:
                    CaseEvent.objects.create(
                        case=case, actor=self.actor, action=CaseAction.MIGRATED, detail=detail
                    )
                else:
                    event.detail = detail
                    event.save(update_fields=["detail"])
                self.count(row, "updated")
        self.remember(MigratedKind.CASE, station, values["code"], case)
