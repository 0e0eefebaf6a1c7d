"""Small text helpers shared by every app."""

import re
from functools import lru_cache

_SPACES = re.compile(r"\s+")

_TRANSLIT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}


def clean_spaces(value: str) -> str:
    """Collapse runs of whitespace (non-breaking spaces included) and strip the ends."""
    return _SPACES.sub(" ", (value or "").replace("\u00a0", " ")).strip()


def name_key(value: str) -> str:
    """A comparison key for Russian names: case, ё/е and spacing do not matter."""
    return clean_spaces(value).casefold().replace("ё", "е")


def transliterate(value: str) -> str:
    """Russian → Latin (ГОСТ-like, ASCII only), for generated logins."""
    return "".join(_TRANSLIT.get(ch, ch) for ch in value.lower())


_PARENS = re.compile(r"\([^)]*\)")
_CITY_MARKERS = ("городской округ город", "городской округ", "город", "го", "г")
_DISTRICT_MARKERS = ("муниципальный район", "муниципальный округ", "район", "р-н", "мр")
#: Words that say «a municipality» without saying which kind.
_NEUTRAL_MARKERS = ("муниципальное образование", "мо")
_PUNCT = re.compile(r"[«»\"',]")


@lru_cache(maxsize=65536)
def municipality_key(value: str) -> str:
    """One key for every way official lists spell a municipality.

    «Пролетарский (с) район», «Пролетарский район», «пролетарский  р-н» → ``район:пролетарский``;
    «г. Шахты», «Шахты г.», «город Шахты», «ГО г. Шахты» → ``город:шахты``; «Каменск-Уральский
    городской округ» → ``город:каменск-уральский``. Case, ё/е, extra and non-breaking spaces
    do not matter.
    """
    text = name_key(_PARENS.sub(" ", value or ""))
    text = re.sub(r"\bг\.\s*о\.", "го ", text)  # «г.о. Шахты» is a городской округ
    text = _PUNCT.sub(" ", text).replace(".", ". ")
    words = clean_spaces(text).split(" ")
    kind = ""
    rest: list[str] = []
    i = 0
    while i < len(words):
        matched = False
        for markers, marker_kind in ((_NEUTRAL_MARKERS, ""), (_CITY_MARKERS, "город"),
                                     (_DISTRICT_MARKERS, "район")):
            for marker in markers:
                parts = marker.split(" ")
                window = [w.rstrip(".") for w in words[i:i + len(parts)]]
                if window == parts:
                    kind = kind or marker_kind
                    i += len(parts)
                    matched = True
                    break
            if matched:
                break
        if not matched:
            rest.append(words[i].rstrip("."))
            i += 1
    core = " ".join(w for w in rest if w)
    if not core:
        return name_key(value)
    return f"{kind or '*'}:{core}"  # '*': the name says neither «район» nor «город»


def municipality_core(key: str) -> str:
    """The name part of a :func:`municipality_key` (without район/город)."""
    return key.split(":", 1)[1] if ":" in key else key


_BLOCK_TAGS = {"p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5",
               "h6", "section", "article", "blockquote", "pre", "hr", "dd", "dt"}
_DROPPED_TAGS = {"script", "style", "head", "title", "iframe", "object", "template", "noscript"}


def html_to_text(value: str) -> str:
    """Plain text of a cell that may hold HTML from its source (seed 003's roadmap keeps
    ``<p>`` and ``<ul><li>``): tags become line breaks and «• » bullets, entities are
    decoded, script and style bodies are dropped. The result is text for autoescaped
    templates, never markup; text without ``<`` comes back unchanged but tidied."""
    from html.parser import HTMLParser

    text = value or ""
    if "<" not in text and "&" not in text:
        return "\n".join(clean_spaces(line) for line in text.splitlines() if line.strip())

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.skipping = 0

        def handle_starttag(self, tag, attrs):
            if tag in _DROPPED_TAGS:
                self.skipping += 1
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n")
                if tag == "li":
                    self.parts.append("• ")

        def handle_endtag(self, tag):
            if tag in _DROPPED_TAGS:
                self.skipping = max(0, self.skipping - 1)
            elif tag in _BLOCK_TAGS:
                self.parts.append("\n")

        def handle_data(self, data):
            if not self.skipping:
                self.parts.append(data)

    parser = _Text()
    parser.feed(text)
    parser.close()
    lines = (clean_spaces(line) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line and line != "•")




# -- Russian agreement (pymorphy3) ----------------------------------------------------------
#: Grammatical genders a noun (or a document kind) may carry; ``plur`` is a plurale tantum
#: («материалы», «сведения») or a title in the plural.
GENDERS = ("masc", "femn", "neut", "plur")
GENDER_LABELS = {"masc": "мужской", "femn": "женский", "neut": "средний", "plur": "только мн. ч."}
_WORD = re.compile(r"[А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)*")
_NOMINAL = {"ADJF", "PRTF", "NUMR"}


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _number_category(n) -> str:
    """«one» (1, 21, 101), «few» (2–4, 22–24) or «many» (0, 5–20, 25…); fractions take the
    genitive singular like «few» («1,5 школы»)."""
    try:
        whole = int(n)
    except (TypeError, ValueError):
        return "many"
    if whole != n:
        return "few"
    whole = abs(whole)
    if whole % 10 == 1 and whole % 100 != 11:
        return "one"
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return "few"
    return "many"


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a number: 1 школа, 2 школы, 5 школ, 21 школа, 11 школ.

    The thin, dictionary-free layer for words the caller already has in three forms; for a
    noun in its dictionary form use :func:`count_phrase` / :func:`noun_form`."""
    return {"one": one, "few": few, "many": many}[_number_category(abs(int(n)))]


@lru_cache(maxsize=4096)
def _noun_parse(word: str):
    """The parse of ``word`` as a noun in the nominative (singular first), or ``None``."""
    parses = [p for p in _morph().parse(word) if "NOUN" in p.tag]
    for wanted in ({"nomn", "sing"}, {"nomn"}):
        for p in parses:
            if wanted <= set(p.tag.grammemes):
                return p
    return parses[0] if parses else None


def _keep_case(original: str, word: str) -> str:
    if original[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


#: First parts of compound nouns that never change: «риск-профиль» → «5 риск-профилей»
#: (pymorphy3 would decline both halves: «рисков-профилей»), unlike «школа-участница».
_FIXED_PREFIXES = {"риск", "интернет", "бизнес", "веб", "онлайн", "офлайн", "медиа", "пресс",
                   "видео", "аудио", "фото", "экспресс", "мини", "кибер", "чек", "файл"}


def _inflect(parse, grammemes: set[str], original: str) -> str:
    prefix, dash, rest = original.partition("-")
    if dash and rest and prefix.lower() in _FIXED_PREFIXES:
        return prefix + dash + _inflect(_noun_parse(rest.lower()) or parse, grammemes, rest)
    form = parse.inflect(grammemes) if parse is not None else None
    if form is None and "gent" in grammemes and "plur" in grammemes:
        form = parse.inflect({"plur", "gent"}) if parse is not None else None
    return _keep_case(original, form.word) if form is not None else original


def _noun_grammemes(n, case: str) -> set[str]:
    category = _number_category(n)
    if case == "nomn" or case == "accs":
        return {"sing", "nomn"} if category == "one" else \
            ({"sing", "gent"} if category == "few" else {"plur", "gent"})
    return {"sing", case} if category == "one" else {"plur", case}


def _gender_of_parse(parse) -> str:
    tag = parse.tag
    if "Pltm" in tag or str(tag.number) == "plur":
        return "plur"
    return str(tag.gender or "masc")


def _adjective_grammemes(n, case: str, noun_parse) -> set[str]:
    category = _number_category(n)
    if category == "one":
        gender = _gender_of_parse(noun_parse) if noun_parse is not None else "masc"
        return {"plur", case if case != "accs" else "nomn"} if gender == "plur" else \
            {"sing", gender, case if case != "accs" else "nomn"}
    if case in ("nomn", "accs"):
        # «2 новые школы» (feminine: nominative plural), «2 новых плана»
        if category == "few" and noun_parse is not None and str(noun_parse.tag.gender) == "femn":
            return {"plur", "nomn"}
        return {"plur", "gent"}
    return {"plur", case}


def _head_noun(words) -> tuple[int, object] | None:
    """The first word of a phrase that is a noun and not also read as an adjective or a
    participle first: (its index, its parse)."""
    for i, m in enumerate(words):
        parse = _noun_parse(m.group().lower())
        if parse is not None and not any(t in _morph().parse(m.group().lower())[0].tag
                                         for t in _NOMINAL):
            return i, parse
    return None


def _agree_phrase(n, phrase: str, case: str) -> str:
    """Agree the head noun of ``phrase`` (and the adjectives/participles before it) with
    ``n``; words after the head noun («без профиля», «в файле») are kept as they are."""
    words = list(_WORD.finditer(phrase))
    head = _head_noun(words)
    if head is None:
        # a substantivised adjective or participle heads the phrase («составляющая»):
        # it agrees as an adjective of its own gender («5 составляющих»)
        for m in words:
            parse = _morph().parse(m.group().lower())[0]
            if {"ADJF", "PRTF"} & set(parse.tag.grammemes) and "nomn" in parse.tag:
                out = _inflect(parse, _adjective_grammemes(n, case, parse), m.group())
                return phrase[:m.start()] + out + phrase[m.end():]
        return phrase
    head_index, noun = head
    out, last = [], 0
    for i, m in enumerate(words[:head_index + 1]):
        word = m.group()
        if i == head_index:
            new = _inflect(noun, _noun_grammemes(n, case), word)
        else:
            parses = [p for p in _morph().parse(word.lower()) if _NOMINAL & set(p.tag.grammemes)
                      and "NUMR" not in p.tag]
            new = _inflect(parses[0], _adjective_grammemes(n, case, noun), word) \
                if parses else word
        out.append(phrase[last:m.start()])
        out.append(new)
        last = m.end()
    out.append(phrase[last:])
    return "".join(out)


@lru_cache(maxsize=8192)
def noun_form(n, noun: str, case: str = "nomn") -> str:
    """The form of ``noun`` (dictionary form, or a phrase headed by it) that follows the
    number ``n``: ``noun_form(5, "школа") == "школ"``, ``noun_form(2, "новая школа") ==
    "новые школы"``, ``noun_form(5, "муниципалитет", "loct") == "муниципалитетах"``.

    ``case`` is the case the whole phrase stands in («в 5 муниципалитетах» — ``loct``,
    «без 2 строк» — ``gent``); in the nominative/accusative the number governs the noun."""
    return _agree_phrase(n, noun, case)


def count_phrase(n, noun: str, adjective: str | None = None, *, case: str = "nomn",
                 sep: str = " ") -> str:
    """A number with its noun agreed: ``count_phrase(5, "школа") == "5 школ"``,
    ``count_phrase(21, "мероприятие", "просроченное") == "21 просроченное мероприятие"``.
    ``noun`` may be a phrase («школа без профиля»): its head noun and the adjectives before
    it agree, the rest is kept."""
    phrase = f"{adjective} {noun}" if adjective else noun
    number = n if isinstance(n, str) else (f"{n}".replace(".", ",") if n == n else "")
    return f"{number}{sep}{noun_form(n, phrase, case)}"


@lru_cache(maxsize=4096)
def predicate_form(n, noun: str, predicate: str) -> str:
    """A short participle/adjective said of a counted noun, agreed as Russian counts do:
    «1 строка пропущена», «2 строки пропущены», «5 строк пропущено» —
    ``predicate_form(5, "строка", "пропущен") == "пропущено"``. ``noun`` may be a phrase
    («строка с ошибками»); its head noun gives the gender for 1, 21, 101…"""
    category = _number_category(n)
    if category == "one":
        return agree_with(predicate, noun)
    return agree_with(predicate, "plur" if category == "few" else "neut")


def count_said(n, noun: str, predicate: str, *, sep: str = " ") -> str:
    """A number, its noun and what is said of them, all agreed:
    ``count_said(2, "школа", "назначен") == "2 школы назначены"``."""
    return f"{count_phrase(n, noun, sep=sep)} {predicate_form(n, noun, predicate)}"


@lru_cache(maxsize=4096)
def gender_of(title: str) -> str:
    """The grammatical gender of the head noun of a title: «Концепция развития» → ``femn``,
    «Среднесрочная программа» → ``femn``, «План мероприятий» → ``masc``, «Материалы» →
    ``plur``. The head is the first noun in the nominative (else the first adjective:
    «Прочее» → ``neut``); ``masc`` when none is found."""
    adjective = None
    for m in _WORD.finditer(title or ""):
        word = m.group().lower()
        parses = _morph().parse(word)
        if "PREP" in parses[0].tag:
            break
        if _NOMINAL & set(parses[0].tag.grammemes):
            if adjective is None and "nomn" in parses[0].tag:
                adjective = parses[0]
            continue
        noun = _noun_parse(word)
        if noun is not None and "nomn" in noun.tag:
            return _gender_of_parse(noun)
    return _gender_of_parse(adjective) if adjective is not None else "masc"


@lru_cache(maxsize=4096)
def agree_with(word: str, noun: str) -> str:
    """A participle or adjective (short or full) agreed with a noun's gender and number:
    ``agree_with("подтверждён", "концепция") == "подтверждена"``; ``noun`` is a noun, a
    title («Среднесрочная программа») or a gender code from :data:`GENDERS`. Only the first
    word of ``word`` changes («возвращён на доработку» → «возвращена на доработку»)."""
    gender = noun if noun in GENDERS else gender_of(noun)
    wanted = {"plur"} if gender == "plur" else {"sing", gender}
    for m in _WORD.finditer(word or ""):
        first = m.group()
        if first.lower() in ("не", "ещё", "еще", "уже", "вновь", "снова"):
            continue
        for p in _morph().parse(first.lower()):
            if {"PRTS", "ADJS", "PRTF", "ADJF"} & set(p.tag.grammemes) or \
                    ("VERB" in p.tag and "past" in p.tag):
                form = p.inflect(wanted)
                if form is not None:
                    return word[:m.start()] + _keep_case(first, form.word) + word[m.end():]
        break
    return word


def person_gender(full_name: str) -> str | None:
    """A person's gender from «Фамилия Имя Отчество» (or «Фамилия И.О.»): the patronymic
    says it («…вич» — ``masc``, «…вна», «…чна», «…кызы» — ``femn``), else a first name the
    dictionary knows; ``None`` when neither does (initials only, a foreign name)."""
    words = [m.group() for m in _WORD.finditer(full_name or "")]
    for word in reversed(words):
        low = word.lower()
        if low.endswith(("вич", "ьич", "ильич", "оглы", "улы")) and len(low) > 4:
            return "masc"
        if low.endswith(("вна", "чна", "кызы", "кзы")) and len(low) > 4:
            return "femn"
    for word, tag in ((words[1:2] or [""])[0], "Name"), ((words[:1] or [""])[0], "Surn"):
        if len(word) < 2:
            continue
        for p in _morph().parse(word.lower()):
            if tag in p.tag and "nomn" in p.tag and "sing" in p.tag and \
                    {"masc", "femn"} & set(p.tag.grammemes):
                return "masc" if "masc" in p.tag else "femn"
    return None


def said_of(full_name: str, predicate: str) -> str:
    """What is said of a person, agreed with the person's gender: ``said_of("Иванова Мария
    Петровна", "записан на поток") == "записана на поток"``, ``said_of("Петров Иван Ильич",
    "отметил") == "отметил"``. When the gender cannot be told, the form «записан(а)» is
    kept, as paper forms do."""
    gender = person_gender(full_name)
    if gender is None:
        for m in _WORD.finditer(predicate or ""):
            if m.group().lower() not in ("не", "ещё", "еще", "уже", "вновь", "снова"):
                return predicate[:m.end()] + "(а)" + predicate[m.end():]
        return predicate
    return agree_with(predicate, gender)


@lru_cache(maxsize=4096)
def in_case(phrase: str, case: str) -> str:
    """A title put in a case, as a verb or preposition asks: ``in_case("Концепция развития",
    "accs") == "концепцию развития"`` («загрузить концепцию развития»), ``in_case("План
    мероприятий", "gent") == "плана мероприятий"``. The head noun and the adjectives before
    it change (number kept), the rest stays; a capital that begins a title only because it
    is a title is lowered."""
    words = list(_WORD.finditer(phrase or ""))
    head = _head_noun(words)
    if head is None:
        # a substantivised adjective heads the title («Прочее»)
        for i, m in enumerate(words):
            parse = _morph().parse(m.group().lower())[0]
            if {"ADJF", "PRTF"} & set(parse.tag.grammemes) and "nomn" in parse.tag:
                head = (i, parse)
                break
        else:
            return _title_lowered(phrase)
    head_index, noun = head
    gender = _gender_of_parse(noun)
    number = "plur" if gender == "plur" else "sing"
    animacy = {"inan"} if "inan" in noun.tag else ({"anim"} if "anim" in noun.tag else set())
    out, last = [], 0
    for i, m in enumerate(words[:head_index + 1]):
        word = m.group()
        if i == head_index and "NOUN" in noun.tag:
            new = _inflect(noun, {number, case}, word)
        else:
            parses = [p for p in _morph().parse(word.lower()) if _NOMINAL & set(p.tag.grammemes)
                      and "NUMR" not in p.tag] if i < head_index else [noun]
            wanted = {number, case} | ({gender} if number == "sing" else set())
            if case == "accs" and gender in ("masc", "plur"):
                wanted |= animacy
            new = _inflect(parses[0], wanted, word) if parses else word
        out.append(phrase[last:m.start()])
        out.append(new)
        last = m.end()
    out.append(phrase[last:])
    return _title_lowered("".join(out))


def _title_lowered(text: str) -> str:
    """«Концепция развития» → «концепция развития»; «ООШ № 27», «R01» stay as they are."""
    first = _WORD.search(text)
    if first and len(first.group()) > 1 and first.group()[0].isupper() and \
            first.group()[1:].islower():
        return text[:first.start()] + text[first.start()].lower() + text[first.start() + 1:]
    return text


def decimal_ru(value, places: int | None = None) -> str:
    """A number as Russian text writes it: a decimal comma, no trailing zeros unless
    ``places`` fixes them (``decimal_ru(Decimal("66.70")) == "66,7"``)."""
    from decimal import Decimal

    number = Decimal(value)
    text = (f"{number:.{places}f}" if places is not None
            else format(number.normalize(), "f"))
    return text.replace("-", "−").replace(".", ",")
