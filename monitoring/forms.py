from __future__ import annotations

from django import forms

from .models import EngagementRules


class ComponentForm(forms.Form):
    value = forms.CharField(label="Значение", max_length=12)
    reason = forms.CharField(label="Обоснование", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))


def scale_text(scale: list) -> str:
    return "\n".join(f"{threshold}: {points}" for threshold, points in scale)


class ScaleField(forms.CharField):
    """Lines «от %: баллы», e.g. «95: 6», thresholds going down."""

    widget = forms.Textarea(attrs={"rows": 6})

    def to_python(self, value):
        text = super().to_python(value)
        pairs = []
        for number, line in enumerate(filter(None, (x.strip() for x in text.splitlines())), 1):
            left, sep, right = line.partition(":")
            try:
                threshold = float(left.strip().rstrip("%").replace(",", "."))
                points = int(right.strip())
            except ValueError:
                raise forms.ValidationError(
                    f"Строка {number} «{line}»: ожидается «порог %: баллы», например «95: 6»."
                ) from None
            if not sep:
                raise forms.ValidationError(f"Строка {number}: нет двоеточия между порогом и "
                                            "баллами.")
            pairs.append([int(threshold) if threshold.is_integer() else threshold, points])
        return pairs


class RulesForm(forms.Form):
    plan_scale = ScaleField(label=EngagementRules._meta.get_field("plan_scale").verbose_name)
    documents_scale = ScaleField(
        label=EngagementRules._meta.get_field("documents_scale").verbose_name)
    curator_scale = ScaleField(
        label=EngagementRules._meta.get_field("curator_scale").verbose_name)
    one_school_threshold = forms.IntegerField(
        label=EngagementRules._meta.get_field("one_school_threshold").verbose_name,
        min_value=0, max_value=100)
