"""Headers are matched by the normal forms of their words, not by a list of strings: at
least 30 real-looking wordings of every required field of a school list find their field,
and the look-alikes of other fields do not."""

import pytest

from core.headers import header_words
from core.tabular import Header, Table, find_header_block, match_columns
from schools.importer import COLUMNS

LOGIN = [
    "Логин", "логин ОО", "Логин в ФИС ОКО", "Логин ФИС ОКО", "Идентификатор ОО (логин ФИС ОКО)",
    "Код ОО", "Логин образовательной организации", "Логин ОО в ФИС ОКО", "ЛОГИН",
    "Логин школы", "Логин (ФИС ОКО)", "Логин организации в ФИС ОКО", "Логин ОО (ФИС ОКО)",
    "Login", "Логин учреждения", "Идентификатор ФИС ОКО", "Код ОО в ФИС ОКО",
    "Код образовательной организации", "Логин ОО в системе ФИС ОКО", "Учётная запись ФИС ОКО",
    "Логин ОО ФИС ОКО", "Логин\nОО", "Логин ОО*", "Логин ОО (sch…)", "Идентификатор (логин) ОО",
    "Логин ОО, ФИС ОКО", "Код ОО (логин)", "Логин ОУ", "Логин в ФИСОКО", "логин_оо",
    "Логин ОО¹",
]
FULL_NAME = [
    "Полное наименование", "Наименование ОО (полное)", "Наименование ОО",
    "Наименование образовательной организации", "Полное наименование ОО", "Наименование",
    "Образовательная организация", "Наименование школы", "Название школы", "ОО",
    "Наименование организации", "Полное наименование организации", "Наименование учреждения",
    "Полное наименование образовательной организации", "Наим. ОО",
    "Наименование ОО (по уставу)", "Полное наименование ОО в соответствии с уставом",
    "Наименование общеобразовательной организации", "Общеобразовательная организация", "Школа",
    "Учреждение", "Наименование ОУ", "Полное наименование учреждения", "Название ОО",
    "Название образовательной организации", "НАИМЕНОВАНИЕ ОО", "Наименование\u00a0ОО",
    "Наименование образовательного учреждения", "Образовательное учреждение",
    "Полное наименование школы", "Наименование ОО (полностью)",
]
MUNICIPALITY = [
    "Муниципалитет", "Наименование муниципального образования",
    "Муниципальный район / городской округ", "МО", "Территория", "Муниципальное образование",
    "Муниципальный район", "Городской округ", "Район", "МР/ГО",
    "Муниципальный район (городской округ)", "Наименование МО",
    "Муниципальное образование (район, городской округ)", "Название муниципалитета",
    "Муниципальный округ", "Наименование муниципалитета", "Район / город", "Город, район",
    "Муниципальный район, городской округ", "МО (район/город)", "Наименование МР/ГО",
    "Территория (МО)", "Наименование территории", "Муниципальное образование Ростовской области",
    "МУНИЦИПАЛИТЕТ", "Район (город)", "Наименование района", "Наименование муниципального района",
    "Муниципальный район/городской округ", "ГО/МР", "Муниципальное образование (МО)",
]
OTHERS = {"login": "Логин", "full_name": "Наименование ОО", "municipality": "Муниципалитет"}


def test_the_table_holds_at_least_30_wordings_per_required_field():
    assert min(len(LOGIN), len(FULL_NAME), len(MUNICIPALITY)) >= 30


@pytest.mark.parametrize(("field", "wording"), [
    *[("login", w) for w in LOGIN], *[("full_name", w) for w in FULL_NAME],
    *[("municipality", w) for w in MUNICIPALITY]])
def test_a_wording_finds_its_field_beside_the_other_columns(field, wording):
    headers = ["№ п/п", *[OTHERS[f] if f != field else wording for f in OTHERS], "ИНН ОО",
               "Краткое наименование ОО", "ИОР"]
    mapping = match_columns(headers, COLUMNS, year=2023)
    assert mapping.get(field) == headers.index(wording), (wording, mapping)


@pytest.mark.parametrize(("header", "not_field", "field"), [
    ("ИНН ОО", "login", "inn"),
    ("Краткое наименование ОО", "full_name", "short_name"),
    ("Сокращённое наименование", "full_name", "short_name"),
    ("Код муниципалитета", "municipality", None),
    ("Населённый пункт", "municipality", None),
    ("ИНН учредителя", "inn", None),
])
def test_look_alikes_of_other_fields_are_not_taken(header, not_field, field):
    headers = ["Логин", "Наименование ОО", "Муниципалитет", header]
    if not_field in OTHERS:
        headers = [h for f, h in zip(OTHERS, headers[:3], strict=True) if f != not_field] + [
            header]
    mapping = match_columns(headers, COLUMNS)
    index = headers.index(header)
    assert mapping.get(not_field) != index
    if field:
        assert mapping.get(field) == index


@pytest.mark.parametrize(("text", "words"), [
    ("Наименование муниципального образования", {"наименование", "муниципальный", "образование"}),
    ("МО", {"муниципальный", "образование"}),
    ("р-н", {"район"}),
    ("Ф.И.О.", {"фамилия", "имя", "отчество"}),
    ("ИНН ОО", {"инн", "образовательный", "организация"}),
    ("Наим. ОО", {"наименование", "образовательный", "организация"}),
    ("№ п/п", {"номер", "порядок"}),
    ("Сокращённое", {"сокращенный"}),
])
def test_header_words_are_normal_forms_with_abbreviations_expanded(text, words):
    assert header_words(text) == words


def test_a_two_row_header_uses_group_labels_without_letting_them_name_a_field():
    rows = [["Перечень ШНОР"],
            ["№", "Муниципальное образование", "Образовательная организация", None, None],
            [None, None, "Логин", "ИНН", "Полное наименование"],
            [1, "г. Шахты", "sch610001", "6100000001", "МБОУ СОШ № 1"]]
    table = Table("Лист1", rows, merged=[((1, 0), (2, 0)), ((1, 1), (2, 1)), ((1, 2), (1, 4))])
    header, mapping = find_header_block(table, COLUMNS)
    assert header.row == 2 and header.first == 1
    assert mapping == {"municipality": 1, "login": 2, "inn": 3, "full_name": 4}
    assert header.text(2) == "Образовательная организация: Логин"


def test_the_signature_of_a_header_ignores_case_and_spacing():
    one = Header(0, 0, ["Логин ОО", "Наименование"], ["", ""])
    two = Header(0, 0, ["логин  оо", "НАИМЕНОВАНИЕ"], ["", ""])
    other = Header(0, 0, ["Логин ОО", "Муниципалитет"], ["", ""])
    assert one.signature == two.signature != other.signature
