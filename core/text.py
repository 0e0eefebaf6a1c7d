"""Small text helpers shared by every app."""

import re

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
