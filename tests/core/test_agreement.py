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
