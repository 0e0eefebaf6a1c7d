"""Municipality names as official lists spell them map to one key."""

import pytest

from core.text import municipality_key


@pytest.mark.parametrize("spellings", [
    ["Пролетарский (с) район", "Пролетарский район", "пролетарский  р-н",
     "Пролетарский\u00a0район", " ПРОЛЕТАРСКИЙ РАЙОН "],
    ["г. Шахты", "Шахты г.", "город Шахты", "г.Шахты", "ГО г. Шахты",
     "городской округ город Шахты", "МО «Город Шахты»", "г.о. Шахты",
     "муниципальное образование город Шахты"],
    ["Каменск-Уральский городской округ", "г. Каменск-Уральский", "город Каменск-Уральский"],
    ["Ёлкинский район", "Елкинский район", "ёлкинский муниципальный район"],
])
def test_spellings_of_one_municipality_share_a_key(spellings):
    assert len({municipality_key(s) for s in spellings}) == 1


def test_city_and_district_of_the_same_name_differ():
    assert municipality_key("г. Азов") != municipality_key("Азовский район")
    assert municipality_key("г. Белая Калитва") != municipality_key("Белокалитвинский район")


def test_fast_uuids_are_valid_version_4_and_distinct():
    import uuid

    from core.db import fast_uuid4_hex

    values = fast_uuid4_hex(500)
    parsed = [uuid.UUID(v) for v in values]
    assert len(set(values)) == 500
    assert {u.version for u in parsed} == {4} and {u.variant for u in parsed} == {uuid.RFC_4122}
