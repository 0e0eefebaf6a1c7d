"""Matching the header of an official table to the fields an importer reads.

Headers are compared as sets of *normal forms* of their words, not as fixed strings: case,
ё/е, punctuation and brackets are ignored, the abbreviations of official tables («МО», «ОО»,
«ГО», «МР», «р-н», «наим.») are expanded, and every word is reduced to its dictionary form
with pymorphy3 («муниципального образования» → «муниципальный образование»). A field's
wording matches a header when all of its words occur in the header; the larger the share of
the header it explains, the better the match. So «Наименование муниципального образования»
is the municipality (two of three words) rather than the name (one of three), and wordings
nobody listed still match as long as they use the field's words.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Abbreviations of official tables, expanded (word by word) before the words are compared.
ABBREVIATIONS = {
    "мо": "муниципальное образование",
    "мр": "муниципальный район",
    "ммр": "муниципальный район",
    "го": "городской округ",
    "гп": "городское поселение",
    "оо": "образовательная организация",
    "оу": "образовательное учреждение",
    "р-н": "район",
    "рн": "район",
    "наим": "наименование",
    "назв": "название",
    "кол-во": "количество",
    "колво": "количество",
    "фио": "фамилия имя отчество",
    "рф": "российская федерация",
    "n": "номер",
    "no": "номер",
    "пп": "по порядку",
}
#: Punctuated forms rewritten before the text is cut into words.
_REWRITES = ((re.compile(r"ф\.\s*и\.\s*о\.?"), " фио "), (re.compile(r"п\s*/\s*п"), " пп "),
             (re.compile("№"), " номер "))
#: Acronyms kept as they are (a dictionary would read «ИНН» as the name Инна).
ACRONYMS = frozenset({"инн", "кпп", "огрн", "окато", "октмо", "оквэд", "фис", "око", "иор",
                      "исб", "шнор", "шссу", "впр", "егэ", "огэ", "фиоко", "рма", "иом", "сош",
                      "оош", "нош", "мбоу", "маоу", "мкоу", "гбоу", "ато", "ппк", "ипк"})
#: Words that carry no meaning for matching (prepositions, conjunctions, particles).
_STOP_POS = {"PREP", "CONJ", "PRCL", "INTJ"}
_STOP_WORDS = {"в", "во", "и", "или", "по", "на", "для", "с", "со", "из", "от", "о", "об",
               "а", "the", "of", "при"}
_TOKEN = re.compile(r"[0-9a-zа-я+]+(?:-[0-9a-zа-я]+)*")


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=20000)
def lemma(word: str) -> str | None:
    """The dictionary form of one lower-case word; ``None`` for a word that carries no
    meaning for matching."""
    if word in _STOP_WORDS:
        return None
    if not re.search("[а-я]", word) or word in ACRONYMS:
        return word
    parsed = _morph().parse(word)[0]
    if parsed.tag.POS in _STOP_POS:
        return None
    if len(word) <= 4 and ({"Name", "Surn", "Patr", "Abbr", "Geox"} & parsed.tag.grammemes):
        return word  # «инн» is not the name Инна, «око» not the eye
    if parsed.tag.POS in {"PRTF", "PRTS"}:
        # a participle keeps its own stem («сокращённое» → «сокращенный», not «сократить»)
        form = parsed.inflect({"PRTF", "masc", "sing", "nomn"})
        if form is not None:
            return form.word.replace("ё", "е")
    return parsed.normal_form.replace("ё", "е")


@lru_cache(maxsize=20000)
def header_words(text: str) -> frozenset[str]:
    """The normal forms of a header's (or a wording's) meaningful words."""
    text = str(text or "").lower().replace("ё", "е").replace("\u00a0", " ")
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    words: set[str] = set()
    for token in _TOKEN.findall(text):
        for part in ABBREVIATIONS.get(token, token).split():
            found = lemma(part)
            if found:
                words.add(found)
    return frozenset(words)


def score(header: str, words: tuple[str, ...], exclude: tuple[str, ...] = ()) -> int:
    """How well a header names a field (0–100): 100 when some wording has exactly the
    header's words, otherwise 50 + 50 × the share of the header's words that the best
    fully contained wording explains; 0 when no wording is contained or an excluded stem
    («кратк», «сокращ») occurs in the header."""
    have = header_words(header)
    if not have:
        return 0
    if exclude and any(w.startswith(stem) for w in have for stem in exclude):
        return 0
    best = 0
    for wording in words:
        want = header_words(wording)
        if not want or not want <= have:
            continue
        if want == have:
            return 100
        best = max(best, 50 + (50 * len(want)) // (len(have) + 1))
    return best
