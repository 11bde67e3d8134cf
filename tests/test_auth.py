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


OWASP = ["shegong.accounts.hashers.OwaspArgon2PasswordHasher"]


def _argon2_parameters(encoded: str) -> str:
    # argon2$argon2id$v=19$m=19456,t=2,p=1$salt$hash
    return encoded.split("$")[3]


@override_settings(PASSWORD_HASHERS=OWASP)
def test_a_password_set_with_the_real_hasher_is_argon2id_with_owasps_parameters(db):
    encoded = make_password("Some-secret-99")
    assert identify_hasher(encoded).algorithm == "argon2"
    assert encoded.split("$")[1] == "argon2id"
    assert _argon2_parameters(encoded) == "m=19456,t=2,p=1"


def test_a_hash_with_djangos_default_parameters_is_upgraded_at_log_in(world, client):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    worker = world["worker"]
    worker.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    worker.save(update_fields=["password"])
    assert _argon2_parameters(worker.password) == "m=102400,t=2,p=8"
    with override_settings(PASSWORD_HASHERS=OWASP):
        response = client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})
    assert response.status_code == 302
    worker.refresh_from_db()
    assert _argon2_parameters(worker.password) == "m=19456,t=2,p=1"


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
