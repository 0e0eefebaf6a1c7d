from __future__ import annotations

from django import forms

from core.forms import region_choice
from core.years import year_field

from .models import Level, RiskFactor, RiskProfile, RiskProfileItem
from .services import ItemChange

JUSTIFICATION_MAX = RiskProfileItem._meta.get_field("justification").max_length


class ProfileItemsForm(forms.Form):
    """One row per factor of the profile: level, ФИОКО's value, activation, justification.

    Field names carry the factor code, so a posted code outside the year's catalogue never
    reaches the service as a field; the service checks codes again anyway.
    """

    def __init__(self, *args, items: list[RiskProfileItem], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            code = item.factor.code
            self.fields[f"{code}-activated"] = forms.BooleanField(
                label=f"{code}: активировать", required=False, initial=item.activated)
            self.fields[f"{code}-level"] = forms.ChoiceField(
                label=f"{code}: уровень риска", required=False, initial=item.level,
                choices=[("", "не указан")] + list(Level.choices))
            self.fields[f"{code}-value"] = forms.DecimalField(
                label=f"{code}: значение ФИОКО", required=False,
                initial=item.value.normalize() if item.value is not None else None,
                max_digits=9, decimal_places=4, min_value=0, localize=True,
                error_messages={"invalid": "Введите число, например 0,62.",
                                "min_value": "Значение не может быть отрицательным.",
                                "max_decimal_places": "Не больше четырёх знаков после запятой.",
                                "max_digits": "Слишком большое число."})
            self.fields[f"{code}-justification"] = forms.CharField(
                label=f"{code}: обоснование", required=False, initial=item.justification,
                max_length=JUSTIFICATION_MAX,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"max_length": "Обоснование длиннее %(limit_value)d знаков."})

    def rows(self):
        """(item, bound fields) pairs for the template's table."""
        for item in self.items:
            code = item.factor.code
            yield item, {name: self[f"{code}-{name}"]
                         for name in ("activated", "level", "value", "justification")}

    def changes(self) -> dict[str, ItemChange]:
        data = self.cleaned_data
        out = {}
        for item in self.items:
            code = item.factor.code
            value = data.get(f"{code}-value")
            out[code] = ItemChange(
                activated=bool(data.get(f"{code}-activated")),
                justification=data.get(f"{code}-justification") or "",
                level=data.get(f"{code}-level") or "",
                value=value, clear_value=value is None,
            )
        return out


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[("submit", "отправить"), ("verify", "подтвердить"),
                                        ("return", "вернуть"), ("unlock", "разблокировать")],
                               error_messages={"invalid_choice": "Неизвестное действие."})
    comment = forms.CharField(required=False, max_length=4000,
                              error_messages={"max_length": "Комментарий длиннее "
                                                            "%(limit_value)d знаков."})


class ProfileCreateForm(forms.Form):
    school = forms.UUIDField(error_messages={"required": "Выберите школу.",
                                             "invalid": "Школа не найдена."})
    year = year_field(error_messages={"required": "Укажите год."})


class DistributionFilter(forms.Form):
    region = region_choice(empty_label=None)
    year = forms.TypedChoiceField(label="Год", coerce=int, choices=())
    municipality = forms.ModelChoiceField(label="Муниципалитет", queryset=None, required=False,
                                          empty_label="все", to_field_name="public_id")
    category = forms.ChoiceField(label="Категория", required=False, choices=())
    status = forms.ChoiceField(label="Профили", required=False, choices=[
        ("", "все состояния"), (RiskProfile.Status.VERIFIED, "только подтверждённые")])

    def __init__(self, *args, regions, years: list[int], municipalities,
                 categories: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["year"].choices = [(y, str(y)) for y in years]
        self.fields["municipality"].queryset = municipalities
        self.fields["category"].choices = [("", "все")] + [(c, c) for c in categories]


class MatrixForm(forms.Form):
    curator = forms.ModelChoiceField(label="Куратор", queryset=None, to_field_name="public_id",
                                     empty_label=None)
    year = forms.TypedChoiceField(label="Год", coerce=int, choices=())

    def __init__(self, *args, curators, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["curator"].queryset = curators
        self.fields["curator"].label_from_instance = lambda u: u.short_name
        self.fields["year"].choices = [(y, str(y)) for y in years]


class FactorForm(forms.ModelForm):
    class Meta:
        model = RiskFactor
        fields = ["year", "code", "position", "title"]
        error_messages = {
            "year": {"required": "Укажите год."},
            "code": {"required": "Укажите код фактора, например R11."},
            "position": {"required": "Укажите номер п/п."},
            "title": {"required": "Укажите название фактора."},
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("year", "code"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "Год и код фактора не меняются; при ошибке " \
                                              "удалите фактор и добавьте заново."

    def validate_unique(self):
        """Uniqueness is the service's question (it answers in Russian, under a lock)."""


class CatalogueCopyForm(forms.Form):
    source_year = year_field("Из каталога года")
    year = year_field("В новый год")
