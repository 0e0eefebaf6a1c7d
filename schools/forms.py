from django import forms
from django.utils import timezone

from core.forms import region_choice
from core.years import year_field

from .imports import IMPORT_FILE
from .models import ImportBatch


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл", help_text="Excel (.xlsx, .xls) или CSV. Строка заголовков и "
        "столбцы будут найдены автоматически; до применения вы увидите, что изменится.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
        error_messages={"required": "Выберите файл.", "empty": "Файл пустой."},
    )
    clean_file = IMPORT_FILE.form_clean()
    year = year_field(error_messages={"required": "Укажите год, к которому относятся данные."})
    # the curators' list is uploaded from the curators' board (with its order), the pool
    # from the РМА page and a course's list of students from the course run's page
    kind = forms.ChoiceField(label="Что загружается",
                             choices=[c for c in ImportBatch.Kind.choices
                                      if c[0] not in (ImportBatch.Kind.CURATORS,
                                                      ImportBatch.Kind.METHODISTS,
                                                      ImportBatch.Kind.ENROLMENTS)],
                             help_text="Риск-профили загружаются для школ, которые уже есть "
                             "в перечнях этого года, по каталогу факторов этого года.")
    region = region_choice(required=False, empty_label="федеральный файл (все регионы)")

    def __init__(self, *args, regions, allow_federal: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["region"].queryset = regions
        if not allow_federal:
            self.fields["region"].required = True
            self.fields["region"].empty_label = None
            self.fields["region"].error_messages["required"] = "Выберите регион."


class MappingForm(forms.Form):
    """One select per field of the list: which column of the file holds it."""

    def __init__(self, *args, columns: list[dict], mapping: dict, fields, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "— не загружать —")] + [
            (str(c["index"]), f"{c['letter']}: {c['title'] or '(без заголовка)'}")
            for c in columns]
        for column in fields:
            initial = mapping.get(column.field)
            self.fields[column.field] = forms.ChoiceField(
                label=column.label + (" *" if column.required else ""), choices=choices,
                required=column.required, initial="" if initial is None else str(initial),
                error_messages={"required": f"Укажите столбец «{column.label}»."},
            )

    def cleaned_mapping(self) -> dict[str, int]:
        return {k: int(v) for k, v in self.cleaned_data.items() if v not in ("", None)}

    def clean(self):
        data = super().clean()
        used = [v for v in data.values() if v not in ("", None)]
        if len(used) != len(set(used)):
            raise forms.ValidationError("Один столбец файла выбран для нескольких полей.")
        return data


class ThresholdsForm(forms.Form):
    region = region_choice(empty_label=None)
    year = year_field()
    ior_min = forms.DecimalField(label="Порог ИОР", max_digits=8, decimal_places=3, localize=True,
                                 help_text="ИОР не ниже порога — «высокие результаты».")
    isb_min = forms.DecimalField(label="Порог ИСБ", max_digits=8, decimal_places=3, localize=True,
                                 help_text="ИСБ не ниже порога — «благоприятные условия».")

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["year"].initial = timezone.localdate().year
