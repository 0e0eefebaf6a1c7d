"""Every page a demo role reaches by links speaks Russian that agrees.

The demo is loaded once; the Django test client logs in as each demo role and crawls the
pages reachable from «/» (tests/ui/crawl.py). A page fails on

* a number followed by one of the portal's counted nouns in a form that does not agree with
  it («54 школ», «10 строки», «1 ошибки») — agreement is judged by pymorphy3 through
  core.text.noun_form, never by a table of forms;
* a Latin word outside the allow-list (logins, e-mails, URLs, file names, codes, PDF/Excel).
"""

from __future__ import annotations

import re

import pytest

from core.text import _morph, html_to_text, noun_form
from tests.ui.crawl import crawl

ROLES = ("rostov.region", "shakhty.mun", "lastovyrya", "pervomayskaya.school", "observer",
         "jury.azov", "admin")
LIMIT = 60

#: The nouns the portal counts (dictionary forms). A number right before one of them must be
#: followed by the form noun_form() gives for that number.
NOUNS = ("школа", "муниципалитет", "регион", "документ", "версия", "мероприятие", "строка",
         "ошибка", "статус", "решение", "участница", "участник", "профиль", "риск", "фактор",
         "педагог", "методист", "тьютор", "маршрут", "куратор", "запись", "раздел", "этап",
         "файл", "лист", "оценка", "заявка", "слушатель", "курс", "поток", "место", "день",
         "неделя", "месяц", "час", "минута", "программа", "концепция", "отчёт", "пользователь",
         "уведомление", "замечание", "комментарий", "направление", "критерий", "балл",
         "работа", "эксперт", "член", "жюри", "показатель", "составляющая", "предложение",
         "задача", "срок", "период", "раз", "ячейка", "отметка", "страница", "карта",
         "организация", "учитель", "ученик", "обучающийся", "год")
#: Words before a number after which the noun is governed by the preposition, not the number
#: («из 5 школ», «более 2 школ», «в 3 школах», «к 2 школам»).
GOVERNING = {"из", "более", "менее", "до", "от", "около", "без", "для", "у", "с", "со",
             "в", "во", "на", "о", "об", "при", "по", "к", "ко", "за", "над", "под", "между",
             "свыше", "порядка", "после", "среди", "кроме", "вместо", "через", "против",
             "чем", "больше", "меньше", "не"}
#: Latin tokens the portal may show: abbreviations, formats, brands of official sources.
LATIN_ALLOWED = {"pdf", "xlsx", "xls", "csv", "zip", "docx", "doc", "odt", "ods", "excel",
                 "word", "html", "http", "https", "www", "url", "id", "uuid", "sha", "e-mail",
                 "email", "mail", "celery", "redis", "plotly", "oauth", "api", "json", "ok",
                 "min", "max", "n", "no", "png", "jpg", "jpeg", "rtf", "txt", "utf",
                 "tsv", "opendocument", "i", "ii", "iii", "iv", "v", "vi", "x", "xi", "xii",
                 "mb", "kb", "rar", "django"}
_TOKEN = re.compile(r"(?<![\w.@/:-])(\d{1,3}(?:[ \u00a0]\d{3})*|\d+)(?![\w.,:/-]\d)"
                    r"[ \u00a0]+([а-яё]+)", re.IGNORECASE)
_LATIN = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SKIP_LATIN = re.compile(
    r"\S+@\S+|https?://\S+|www\.\S+|\b[\w.-]+\.(?:pdf|xlsx?|csv|zip|docx?|odt|ods|png|jpe?g|txt)\b"
    r"|\b[\w-]*\d[\w-]*\b|\b[a-z0-9]+(?:[._-][a-z0-9]+)+\b|/\S*", re.IGNORECASE)


def _lemma_noun(word: str) -> str | None:
    """The counted noun ``word`` is a form of, or None."""
    for p in _morph().parse(word.lower()):
        if "NOUN" in p.tag and p.normal_form.replace("ё", "е") in _NOUNS:
            return p.normal_form
    return None


_NOUNS = {n.replace("ё", "е") for n in NOUNS}
#: Nouns after which a number names, not counts («версия 2», «этап 3», «версию 1 документа»).
_LABELS = {"версия", "этап", "раздел", "пункт", "номер", "класс", "код", "шаг", "лист",
           "страница", "мероприятие", "фактор", "риск", "поток", "вариант", "подтверждение"}


def _ordinal_label(word: str) -> bool:
    return any(p.normal_form in _LABELS for p in _morph().parse(word.lower()))
_YEARISH = re.compile(r"^(19|20)\d\d$")


def _predicate_agrees(n: int, word: str) -> bool:
    """A short participle right after a number («3 подтверждены») is said of the counted
    things: singular after 1, 21…; plural after 2–4; neuter singular or plural after 0, 5–20.
    A word that is not only a short participle is not judged."""
    parses = _morph().parse(word.lower())
    if not parses or not all({"PRTS", "ADJS"} & set(p.tag.grammemes) for p in parses[:1]):
        return True
    tag = parses[0].tag
    last2, last = n % 100, n % 10
    if last == 1 and last2 != 11:
        return "sing" in tag
    if 2 <= last <= 4 and not 12 <= last2 <= 14:
        return "plur" in tag
    return "plur" in tag or "neut" in tag


def agreement_errors(text: str) -> list[str]:
    """Snippets of ``text`` where a number is followed by a counted noun that disagrees."""
    errors = []
    for m in _TOKEN.finditer(text):
        number, word = m.group(1), m.group(2)
        digits = int(re.sub(r"\D", "", number))
        if _YEARISH.match(number) or len(number) > 7:
            continue  # «2023 года», codes
        before = text[max(0, m.start() - 40):m.start()]
        prev = re.findall(r"[А-Яа-яЁё]+|[№#§:–—-]", before)
        if prev and (prev[-1].lower() in GOVERNING or prev[-1] in "№#§"
                     or _ordinal_label(prev[-1])) or "\n" in text[m.start():m.end()]:
            continue
        if re.search(r"[.,]\s*$", before) and re.search(r"\d[.,]\s*$", before):
            continue  # «1,5», dates «01.02.»
        lemma = _lemma_noun(word)
        if lemma is None:
            if not _predicate_agrees(digits, word):
                errors.append(text[max(0, m.start() - 30):m.end() + 30].replace("\n", " "))
            continue
        expected = noun_form(digits, lemma).lower().replace("ё", "е")
        alternatives = {expected}
        if lemma == "год":
            alternatives |= {"лет"}
        if word.lower().replace("ё", "е") not in alternatives:
            errors.append(text[max(0, m.start() - 30):m.end() + 30].replace("\n", " "))
    return errors


def latin_errors(text: str, allowed: set[str]) -> list[str]:
    errors = []
    for line in text.splitlines():
        rest = _SKIP_LATIN.sub(" ", line)
        for m in _LATIN.finditer(rest):
            word = m.group()
            if word.lower() in LATIN_ALLOWED or word in allowed or word.isupper():
                continue
            errors.append(f"{word}: {line[:120]}")
    return errors


def test_helpers_find_the_known_mistakes():
    assert agreement_errors("54 школ без профиля")
    assert agreement_errors("1 мероприятий школ просрочено")
    assert agreement_errors("10 строки в файле")
    assert agreement_errors("9 статусы 2023 года")
    assert agreement_errors("Итого: 1 ошибки")
    assert agreement_errors("2 школ в 1 муниципалитетах") == ["2 школ в 1 муниципалитетах"] \
        or len(agreement_errors("2 школ в 1 муниципалитетах")) == 1
    assert not agreement_errors("5 школ в 2023 году, из 5 школ, в 3 школах, 21 школа, 2 года")
    assert not agreement_errors("Показаны 10 строк; 01.02.2024 12 школ")
    # a measure's number run into its title reads as a count («3 Курсы повышения …»)
    assert agreement_errors("1495\n3 Курсы повышения квалификации")
    assert not agreement_errors("1495\n3.1. Курсы повышения квалификации")
    assert agreement_errors("3 подтверждён куратором")
    assert agreement_errors("1 подтверждены")
    assert not agreement_errors("3 подтверждены куратором, 5 возвращено, 21 подтверждён")
    assert latin_errors("по названию (descending)", set())
    assert not latin_errors("Войдите как rostov.region, файл plan_2024.xlsx, PDF, ИОР", set())


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_demo_pages_speak_agreeing_russian(client, demo, username):
    from core.models import User

    user = User.objects.get(username=username)
    allowed = set(ROLES) | {part for u in ROLES for part in u.split(".")}
    problems: list[str] = []
    client.force_login(user)
    pages = crawl(client, "/", LIMIT)
    assert len(pages) > 3, f"{username}: only {list(pages)} reachable"
    for url, (_status, html) in pages.items():
        if username == "admin" and url.startswith("/admin/"):
            continue
        # table cells and badges stand apart on the page: a number in one is not counting
        # the word in the next («4 [изменено экспертом]»)
        # a stat's number and its label are two spans read together («54 школы без профиля»)
        html = re.sub(r"</span>\s*<span", "</span> <span", html)
        text = html_to_text(re.sub(r"</t[dh]>|<span class=\"badge", lambda m: "\n" + (
            m.group() if m.group().startswith("<span") else ""), html))
        for snippet in agreement_errors(text):
            problems.append(f"{username} {url}: agreement «{snippet}»")
        for snippet in latin_errors(text, allowed):
            problems.append(f"{username} {url}: latin «{snippet}»")
    assert not problems, "\n".join(dict.fromkeys(problems))
