"""Model rules of the organisation tree and accounts."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shegong.accounts.models import User
from shegong.core.roles import Role
from shegong.org.models import Contract, Station


def test_contract_must_end_after_it_starts(world):
    contract = Contract(
        code="X-1",
        buyer="广州市民政局",
        agency=world.agency_a,
        station=world.station_a,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2025, 1, 1),
        amount=Decimal("1"),
    )
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert error.value.messages == ["合同结束日期必须晚于开始日期。"]


def test_contract_is_for_a_station_or_a_project_not_both(world):
    contract = Contract(
        code="X-2",
        buyer="广州市民政局",
        agency=world.agency_a,
        station=world.station_a,
        special_project=world.project,
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2026, 1, 1),
        amount=Decimal("1"),
    )
    with pytest.raises(ValidationError) as error:
        contract.full_clean()
    assert error.value.messages == ["一份合同只能对应一个社工站或一个专项服务项目。"]


def test_database_refuses_negative_amount_even_without_validation(world):
    world.contract_a.amount = Decimal("-1")
    with pytest.raises(IntegrityError), transaction.atomic():
        world.contract_a.save()


def test_station_names_are_unique_within_a_street(world):
    duplicate = Station(street=world.street_a, name="沙园街社工站", code="haizhu-99")
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert error.value.messages == ["该街道已有同名的社工站。"]


@pytest.mark.parametrize(
    ("role", "field"),
    [
        (Role.SOCIAL_WORKER, "station"),
        (Role.STATION_DIRECTOR, "station"),
        (Role.AGENCY_MANAGER, "agency"),
        (Role.DISTRICT_OFFICER, "district"),
        (Role.CITY_OFFICER, "city"),
    ],
)
def test_each_role_needs_its_anchor(db, role, field):
    user = User(username="someone", role=role, password="x")
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert list(error.value.message_dict) == [field]


def test_user_anchor_is_the_unit_of_the_role(world):
    assert world["worker"].anchor == world.station_a
    assert world["district"].anchor == world.district
    assert world["agency"].anchor == world.agency_a
    assert world["evaluator"].anchor is None
