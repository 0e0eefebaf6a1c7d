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
