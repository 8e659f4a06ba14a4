"""Password hashing: production uses OWASP's argon2id parameters for an interactive sign-in;
the test suite's cheap setting is refused anywhere but the tests."""

import argon2
import pytest

from caremap.auth import passwords
from caremap.config import ConfigurationError, load_config

SECRET = "s" * 64


# OWASP Password Storage Cheat Sheet: "Use Argon2id with a minimum configuration of 19 MiB of
# memory, an iteration count of 2, and 1 degree of parallelism."
OWASP = argon2.Parameters(
    type=argon2.Type.ID,
    version=19,
    salt_len=16,
    hash_len=32,
    time_cost=2,
    memory_cost=19 * 1024,
    parallelism=1,
)


def test_production_hashes_with_owasp_parameters():
    params = argon2.extract_parameters(passwords.hasher("strong").hash("a long passphrase"))
    assert params.type is argon2.Type.ID
    assert (params.time_cost, params.memory_cost, params.parallelism) == (2, 19 * 1024, 1)
    assert (params.salt_len, params.hash_len) == (16, 32)
    assert params == OWASP


@pytest.mark.parametrize("env", ["production", "development"])
def test_production_and_development_default_to_the_strong_setting(env):
    config = {"ENV": env, "SECRET_KEY": SECRET, "AUDIT_KEY": SECRET}
    assert load_config(config)["PASSWORD_HASH"] == "strong"


@pytest.mark.parametrize("env", ["production", "development"])
def test_the_cheap_setting_is_refused_outside_the_tests(env):
    with pytest.raises(ConfigurationError, match="PASSWORD_HASH"):
        load_config({"ENV": env, "SECRET_KEY": SECRET, "PASSWORD_HASH": "fast"})


def test_an_unknown_setting_is_refused():
    with pytest.raises(ConfigurationError, match="PASSWORD_HASH"):
        load_config({"ENV": "test", "SECRET_KEY": SECRET, "PASSWORD_HASH": "none"})


def test_a_production_app_hashes_strongly_and_the_test_app_cheaply(app):
    from caremap.app import create_app

    production = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": SECRET,
            "AUDIT_KEY": SECRET,
            "DATABASE_URL": "sqlite://",
        }
    )
    with production.app_context():
        strong = argon2.extract_parameters(passwords.hash_password("a long passphrase"))
    assert strong == OWASP
    with app.app_context():
        cheap = passwords.hash_password("a long passphrase")
        assert argon2.extract_parameters(cheap).type is argon2.Type.ID
        assert argon2.extract_parameters(cheap).memory_cost < strong.memory_cost
        assert passwords.verify_password(cheap, "a long passphrase")
        assert not passwords.verify_password(cheap, "another passphrase")
        assert not passwords.verify_password(None, "a long passphrase")
    with production.app_context():
        # A hash made with other parameters still verifies, and is replaced at sign-in.
        assert passwords.verify_password(cheap, "a long passphrase")
        assert passwords.needs_rehash(cheap)


def test_outside_an_app_the_strong_setting_applies():
    stored = passwords.hash_password("a long passphrase")
    assert argon2.extract_parameters(stored) == OWASP
