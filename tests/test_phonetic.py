"""A French phonetic key for names (continuity.phonetic), and the name likeness the CIV queue uses."""

from __future__ import annotations

import pytest

from continuity.phonetic import family_alike, first_alike, phonetic_key

SAME = [
    ("GAUTHIER", "GAUTIER"),
    ("LEFEBVRE", "LEFÈVRE"),
    ("LEFEBVRE", "LEFEVRE"),
    ("PHILIPPE", "FILIPE"),
    ("DUPOND", "DUPONT"),
    ("MARTIN-DUPONT", "MARTIN DUPONT"),
    ("CHRISTOPHE", "KRISTOF"),
    ("THOMAS", "TOMAS"),
    ("RENAUD", "RENAULT"),
    ("BERNARD", "BERNART"),
    ("MATHIEU", "MATTHIEU"),
    ("D'ARC", "DARC"),
    ("FRANÇOIS", "FRANCOIS"),
    ("GÉRALDINE", "JERALDINE"),
    ("ROUSSEAU", "ROUSSO"),
    ("CÉCILE", "SECILE"),
    ("QUENTIN", "KENTIN"),
]
DIFFERENT = [
    ("MARTIN", "MARTEL"),
    ("DUPONT", "DURAND"),
    ("PETIT", "PETITJEAN"),
    ("LEROY", "LEFEVRE"),
    ("JEANNE", "JEAN"),
    ("BERNARD", "RICHARD"),
    ("SIMON", "SIMONE"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_names_that_sound_alike_have_one_key(a: str, b: str) -> None:
    assert phonetic_key(a) == phonetic_key(b)
    assert phonetic_key(a)  # never empty for a name


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_names_that_sound_different_have_different_keys(a: str, b: str) -> None:
    assert phonetic_key(a) != phonetic_key(b)


def test_family_names_alike_are_accent_space_hyphen_apostrophe_and_compound_aware() -> None:
    assert family_alike(["LEFÈVRE"], ["LEFEVRE"])
    assert family_alike(["MARTIN-DUPONT"], ["MARTIN DUPONT"])
    assert family_alike(["MARTIN-DUPONT"], ["DUPONT"])  # one part of a compound name
    assert family_alike(["D'ARC"], ["DARC"])
    assert family_alike(["GAUTHIER"], ["GAUTIER"])
    assert family_alike(["DUPONT"], ["MARTIN", "DUPOND"])  # the used name counts too
    assert family_alike(["LEFEVRE"], ["LEFEVRA"])  # a typo
    assert not family_alike(["MARTIN"], ["DURAND"])
    assert not family_alike(["LE"], ["LE GOFF"])  # a particle alone is not a part


def test_first_names_alike() -> None:
    assert first_alike(["Jeanne"], ["JEANNE"])
    assert first_alike(["Philippe"], ["Filipe"])
    assert first_alike(["Jean-Pierre"], ["Jean Pierre"])
    assert first_alike(["Jean-Pierre"], ["Jean"])  # the first of a compound first name
    assert first_alike(["Marie", "Louise"], ["Louise"])  # another birth first name
    assert not first_alike(["Paul"], ["Pierre"])
