"""Passwords without a database: what is refused, and the hash the site stores.

Registration, approval and log-in throttling against a database are in tests/db/test_accounts.py.
"""

import pytest
from argon2 import PasswordHasher

from ideapankki import accounts
from ideapankki.models import Role, User

GOOD_PASSWORD = "kuusi sanaa kulkee kauas"


def account(password_hash: str) -> User:
    return User(email="maija@kajaani.fi", name="Maija", password_hash=password_hash, role=Role.member.value)


def test_passwords_are_argon2id_hashes_at_production_cost(production_hashing):
    user = account(accounts.hash_password(GOOD_PASSWORD))
    assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # RFC 9106's second choice
    assert accounts.verify_password(user, GOOD_PASSWORD) and not accounts.verify_password(user, "väärä salasana!")


def test_a_hash_at_older_parameters_is_upgraded_when_the_password_is_right(production_hashing):
    old = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(GOOD_PASSWORD)
    wrong = account(old)
    assert not accounts.verify_password(wrong, "väärä salasana!") and wrong.password_hash == old
    right = account(old)
    assert accounts.verify_password(right, GOOD_PASSWORD)
    assert right.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


@pytest.mark.parametrize("password, problem", [
    ("lyhyt", "too_short"), ("salasana1234", "too_common"), ("Password1234!", "too_common"),
    ("qwertyuiop123", "too_common"), ("kajaani2024kajaani", "too_common"),
])
def test_short_and_common_passwords_are_refused(password, problem):
    assert accounts.password_problem(password, "maija@kajaani.fi") == problem


def test_a_good_passphrase_is_accepted():
    assert accounts.password_problem(GOOD_PASSWORD) is None


def test_addresses_are_compared_trimmed_and_in_lower_case():
    assert accounts.normalise_email(" Maija@KAJAANI.fi ") == "maija@kajaani.fi"
