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


def plural(n: int, one: str, few: str, many: str) -> str:
    """The Russian noun form for a number: 1 школа, 2 школы, 5 школ, 21 школа, 11 школ."""
    n = abs(int(n))
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many
