"""An import's result page says what *was* done once the batch is applied, and what *will*
be done before: each importer's result template branches on the batch's own state flags
(``ImportBatch.is_applied`` / ``is_previewed``), not on a flag some view may forget to pass."""

import pytest
from django.template.loader import render_to_string

from schools.models import ImportBatch

#: result template → (wording after apply, wording of a preview)
OUTCOMES = {
    "curators/import/_result.html": ("Что сделано", "Что будет сделано"),
    "risk_profiles/import/_result.html": ("Что изменилось", "Что изменится"),
    "methodists/import/_result.html": ("Что сделано", "Что будет сделано"),
    "schools/import/_school_list_result.html": ("Что изменилось", "Что изменится"),
}


class Counts(dict):
    """An importer's counts: the ones a template asks for and the test does not set are 0."""

    def __missing__(self, key):
        return 0


def _render(template: str, status: str) -> str:
    batch = ImportBatch(status=status, year=2023, counts=Counts(total=1, new=1), params={},
                        diff={})
    return render_to_string(template, {"batch": batch})


@pytest.mark.parametrize("template", sorted(OUTCOMES))
def test_applied_and_previewed_batches_are_told_apart(template):
    done, planned = OUTCOMES[template]
    applied = _render(template, ImportBatch.Status.APPLIED)
    previewed = _render(template, ImportBatch.Status.PREVIEWED)
    assert done in applied and planned not in applied
    assert planned in previewed and done not in previewed
