"""MunicipalityIndex.from_session keeps the index it built while the register's text is the same."""

from sqlmodel import select

from ideapankki.models import Municipality
from ideapankki.reference import MunicipalityIndex


def test_the_same_register_gives_the_same_index_and_a_changed_one_a_new_index(session):
    first = MunicipalityIndex.from_session(session)
    assert MunicipalityIndex.from_session(session) is first  # not read and folded again
    assert first.resolve("Kajaani") == first.resolve("205") == "205"
    kajaani = session.exec(select(Municipality).where(Municipality.code == "205")).one()
    kajaani.name_fi, kajaani.name_sv = "Kajaaninkaupunki", "Kajanastad"
    session.flush()
    renamed = MunicipalityIndex.from_session(session)
    assert renamed is not first
    assert renamed.resolve("Kajaaninkaupunki") == renamed.resolve("kajanastad") == "205"
    assert renamed.resolve("Kajaani") is None
    session.rollback()  # the register as it was: the index as it was, built again
    again = MunicipalityIndex.from_session(session)
    assert again.resolve("Kajaani") == "205" and again.resolve("Kajaaninkaupunki") is None
