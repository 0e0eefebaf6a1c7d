"""The subjects of the Russian Federation (code as in ФИС ОКО logins, official name): the
reference a federal list is checked against and missing regions are created from.
``core/data/subjects_rf.csv`` holds the 89 subjects."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

_FILE = Path(__file__).resolve().parent / "data" / "subjects_rf.csv"


@lru_cache(maxsize=1)
def subjects() -> dict[int, str]:
    with _FILE.open(encoding="utf-8") as fh:
        return {int(row["code"]): row["name"] for row in csv.DictReader(fh, delimiter=";")}


def subject_name(code: int) -> str | None:
    """The official name of the subject with this code; ``None`` when no subject has it."""
    return subjects().get(int(code))
