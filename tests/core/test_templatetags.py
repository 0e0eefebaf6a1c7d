import pytest

from core.templatetags.portal import ru_plural

FORMS = "школа,школы,школ"


@pytest.mark.parametrize("n,expected", [(0, "школ"), (1, "школа"), (2, "школы"), (4, "школы"),
                                        (5, "школ"), (11, "школ"), (12, "школ"), (14, "школ"),
                                        (21, "школа"), (22, "школы"), (101, "школа"),
                                        (111, "школ"), ("x", "школ")])
def test_ru_plural_agrees_numbers_and_nouns(n, expected):
    assert ru_plural(n, FORMS) == expected
