"""Log-in, log-out, password hashing."""

import importlib

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings

import shegong.settings
from tests.conftest import PASSWORD


def test_production_and_run_settings_hash_passwords_with_argon2():
    settings_module = importlib.reload(shegong.settings)
    assert settings_module.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_a_password_set_with_the_real_hasher_is_argon2(db):
    assert identify_hasher(make_password("Some-secret-99")).algorithm == "argon2"


def test_login_with_right_password_lands_on_home(world, client):
    response = client.post(
        "/accounts/login/", {"username": "worker", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain == [("/", 302)]
    assert response.context["user"] == world["worker"]


def test_anonymous_is_sent_to_login_with_next(client):
    response = client.get("/org/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/org/"


def test_logout_ends_the_session(world, client):
    client.force_login(world["worker"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/org/").status_code == 302


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("city", "广州市"),
        ("district", "海珠区"),
        ("director", "沙园街社工站"),
        ("worker", "沙园街社工站"),
        ("agency", "广州市同心社会工作服务中心"),
    ],
)
def test_home_page_names_the_users_unit(world, client, person, expected):
    client.force_login(world[person])
    response = client.get("/")
    assert response.status_code == 200
    assert expected in response.content.decode()
