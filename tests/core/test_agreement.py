"""Russian agreement by pymorphy3 (core.text): counts, participles, genders of titles."""

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from core.text import agree_with, count_phrase, gender_of, noun_form, plural

# noun → (one, few, many): the test's own reference, checked against pymorphy3's forms
NOUNS = {
    "школа": ("школа", "школы", "школ"),
    "мероприятие": ("мероприятие", "мероприятия", "мероприятий"),
    "строка": ("строка", "строки", "строк"),
    "ошибка": ("ошибка", "ошибки", "ошибок"),
    "статус": ("статус", "статуса", "статусов"),
    "муниципалитет": ("муниципалитет", "муниципалитета", "муниципалитетов"),
    "решение": ("решение", "решения", "решений"),
    "участница": ("участница", "участницы", "участниц"),
    "документ": ("документ", "документа", "документов"),
}
KNOWN = [1, 2, 5, 11, 12, 14, 21, 22, 25, 101, 111, 0, 1000]


@pytest.mark.parametrize("n", KNOWN)
@pytest.mark.parametrize("noun", sorted(NOUNS))
def test_count_phrase_agrees_known_numbers(n, noun):
    assert count_phrase(n, noun) == f"{n} {plural(n, *NOUNS[noun])}"


@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(sorted(NOUNS)))
def test_noun_form_matches_the_arithmetic_rule(n, noun):
    assert noun_form(n, noun) == plural(n, *NOUNS[noun])


def test_adjectives_and_phrases_agree():
    assert count_phrase(21, "мероприятие", "просроченное") == "21 просроченное мероприятие"
    assert count_phrase(2, "мероприятие", "просроченное") == "2 просроченных мероприятия"
    assert count_phrase(5, "школа без профиля") == "5 школ без профиля"
    assert count_phrase(2, "новая школа") == "2 новые школы"
    assert count_phrase(5, "муниципалитет", case="loct") == "5 муниципалитетах"
    assert count_phrase(1, "муниципалитет", case="loct") == "1 муниципалитете"


def test_participles_agree_with_the_head_noun_of_a_title():
    assert agree_with("подтверждён", "концепция") == "подтверждена"
    assert agree_with("подтверждён", "Концепция развития") == "подтверждена"
    assert agree_with("возвращён на доработку", "Среднесрочная программа") == \
        "возвращена на доработку"
    assert agree_with("подтверждён", "План мероприятий") == "подтверждён"
    assert agree_with("не отправлен", "Дорожная карта") == "не отправлена"
    assert agree_with("Подтверждён", "plur") == "Подтверждены"
    assert gender_of("Подтверждение мероприятия дорожной карты") == "neut"
    assert gender_of("Материалы") == "plur"


def test_template_filters():
    html = Template('{% load portal %}{{ a|count:"школа" }}|{{ b|noun:"ошибка" }}|'
                    '{{ "подтверждён"|agree:"femn" }}|{{ c|count:"муниципалитет:loct" }}').render(
        Context({"a": 54, "b": 1, "c": 2}))
    assert html == "54\u00a0школы|ошибка|подтверждена|2\u00a0муниципалитетах"


@pytest.mark.django_db
def test_document_kind_takes_its_gender_from_the_title():
    from roadmaps.models import DocumentKind

    kind = DocumentKind.objects.create(year=2024, code="concept", title="Концепция развития")
    assert kind.gender == "femn"
    kind = DocumentKind.objects.create(year=2024, code="plan", title="План мероприятий")
    assert kind.gender == "masc"


@pytest.mark.django_db
def test_statuses_said_of_a_document_agree_with_it():
    from roadmaps.models import Document, DocumentKind, Review

    concept = DocumentKind.objects.create(year=2024, code="concept", title="Концепция развития")
    plan = DocumentKind.objects.create(year=2024, code="plan", title="План мероприятий")
    doc = Document(kind=concept, status=Document.Status.APPROVED)
    assert doc.status_label == "подтверждена"
    doc.status = Document.Status.RETURNED
    assert doc.status_label == "возвращена на доработку"
    doc.status = Document.Status.SUBMITTED
    assert doc.status_label == "на проверке"
    assert Document(kind=plan, status=Document.Status.APPROVED).status_label == "подтверждён"
    # the checklist's badge of a document not yet uploaded
    html = Template('{% load portal %}{{ "не загружен"|agree:a }}|{{ "не загружен"|agree:b }}'
                    ).render(Context({"a": concept, "b": plan}))
    assert html == "не загружена|не загружен"
    assert Review(decision=Review.Decision.RETURNED).version_said == "возвращена на доработку"


def test_a_greeting_uses_name_and_patronymic_or_nobody():
    from core.models import User

    assert User(last_name="Ластовыря", first_name="Людмила", middle_name="Фёдоровна"
                ).greeting_name == "Людмила Фёдоровна"
    # initials only, a bare first name, nothing: «Здравствуйте!», never «Ластовыря Л.Ф.»
    assert User(last_name="Ластовыря", first_name="Л.", middle_name="Ф.").greeting_name == ""
    assert User(last_name="Ластовыря", first_name="Л", middle_name="Ф").greeting_name == ""
    assert User(last_name="Ластовыря", first_name="Людмила").greeting_name == ""
    assert User(username="observer").greeting_name == ""


_MESSAGE = __import__("re").compile(
    r"(?:messages\.(?:success|info|warning|error)\(\s*request,\s*|"
    r"raise\s+(?!ValueError|TypeError|RuntimeError|AssertionError)\w*Error\(\s*)"
    r"\(?\s*f?[\"']([^\"'{]{1,40})")


def lowercase_messages(source: str) -> list[str]:
    """Messages to a person (``messages.*`` and domain errors) that start in lower case."""
    return [m.group(1) for m in _MESSAGE.finditer(source) if m.group(1)[0].islower()]


def test_messages_start_with_a_capital_letter():
    from pathlib import Path

    assert lowercase_messages('messages.success(request, "документ сохранён.")')
    assert lowercase_messages('raise DocumentError(f"файл пуст: {name}")')
    assert not lowercase_messages('messages.info(request, "Сохранено.")')
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in root.glob("*/**/*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in ("tests", "build", ".venv", "node_modules") or "migrations" in parts:
            continue
        found += [f"{path.relative_to(root)}: {m}" for m in
                  lowercase_messages(path.read_text(encoding="utf-8"))]
    assert not found, found


@pytest.mark.parametrize(("n", "said"), [(1, "1 строка пропущена"), (2, "2 строки пропущены"),
                                         (5, "5 строк пропущено"), (11, "11 строк пропущено"),
                                         (21, "21 строка пропущена"),
                                         (22, "22 строки пропущены")])
def test_what_is_said_of_a_count_agrees_with_it(n, said):
    from core.text import count_said

    assert count_said(n, "строка", "пропущен") == said
    html = Template('{% load portal %}{{ n|count:"строка с ошибками;не загружен" }}').render(
        Context({"n": n}))
    number, noun, rest = said.split(" ", 2)
    assert html == f"{number}\u00a0{noun} с ошибками не {rest.replace('пропущ', 'загруж')}"


def test_compounds_and_substantivised_adjectives_agree():
    assert count_phrase(5, "новый риск-профиль") == "5 новых риск-профилей"  # not «рисков-»
    assert count_phrase(2, "школа-участница") == "2 школы-участницы"
    assert count_phrase(5, "составляющая", case="gent") == "5 составляющих"
    assert count_phrase(21, "составляющая", case="gent") == "21 составляющей"
    assert count_phrase(2, "составляющая") == "2 составляющие"


@pytest.mark.parametrize(("name", "said"), [
    ("Иванова Мария Петровна", "уже записана"),
    ("Петров Иван Ильич", "уже записан"),
    ("Кузнецова Е.В.", "уже записана"),   # the surname tells when initials do not
    ("Смирнов А.А.", "уже записан"),
    ("Алиева Лейла Рашид кызы", "уже записана"),
    ("Ластовыря Л.Ф.", "уже записан(а)"),  # a surname of both genders, initials only
])
def test_what_is_said_of_a_person_agrees_with_the_person(name, said):
    from core.text import said_of

    assert said_of(name, "уже записан") == said
    html = Template('{% load portal %}{{ "выбыл из школы"|said_of:name }}').render(
        Context({"name": name}))
    assert html == {"уже записана": "выбыла из школы", "уже записан": "выбыл из школы",
                    "уже записан(а)": "выбыл(а) из школы"}[said]
