from __future__ import annotations

from django import forms
from django.conf import settings

from core.files import register_upload_point
from core.forms import DATE, DATE_ERRORS, uuid_choice

from .models import Application, Edition

ACCEPT = ".pdf,.docx,.doc,.odt,.xlsx"
FILE_HELP = (f"PDF, Word (.docx, .doc), OpenDocument (.odt) или Excel (.xlsx), до "
             f"{settings.DOCUMENT_MAX_MB} МБ.")


def _file_field(label: str, required: bool = True) -> forms.FileField:
    return forms.FileField(label=label, required=required, help_text=FILE_HELP,
                           allow_empty_file=True,
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           error_messages={"required": "Выберите файл.",
                                           "invalid": "Файл не получен. Выберите его ещё раз."})


REGULATION_FILE = register_upload_point("contests.regulation", "Положение о конкурсе")
MATERIAL_FILE = register_upload_point("contests.material", "Материал конкурсной заявки")


class EditionForm(forms.ModelForm):
    class Meta:
        model = Edition
        fields = ["year", "title", "regulation_order", "applications_open",
                  "applications_close", "review_close", "results_on", "publication_on",
                  "jurors_per_application"]
        widgets = {name: DATE for name in ("applications_open", "applications_close",
                                           "review_close", "results_on", "publication_on")}
        error_messages = {name: DATE_ERRORS for name in (
            "applications_open", "applications_close", "review_close", "results_on",
            "publication_on")}

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].error_messages["required"] = "Укажите год конкурса."
        if editing:
            del self.fields["year"]

    def validate_unique(self):
        """Uniqueness of the year is checked by the service (it knows the region)."""


class NewEditionForm(EditionForm):
    load_nominations = forms.BooleanField(
        label="Добавить шесть номинаций 2022 года с критериями оценки", required=False,
        initial=True)


class RegulationForm(forms.Form):
    file = _file_field("Файл положения")

    clean_file = REGULATION_FILE.form_clean()


class NominationForm(forms.Form):
    title = forms.CharField(label="Название номинации", max_length=500,
                            error_messages={"required": "Укажите название номинации."})
    is_video = forms.BooleanField(label="Видеономинация (заявка — ссылка на видеофильм)",
                                  required=False)


class CriterionForm(forms.Form):
    title = forms.CharField(label="Критерий", max_length=500,
                            error_messages={"required": "Укажите критерий."})
    weight = forms.DecimalField(label="Вес", min_value=0.01, max_value=100, max_digits=5,
                                decimal_places=2, initial=1, localize=True, error_messages={
                                    "required": "Укажите вес.",
                                    "invalid": "Вес — число, например 1 или 1,5.",
                                    "min_value": "Вес — положительное число.",
                                    "max_value": "Вес — не больше 100."})
    min_score = forms.IntegerField(label="Наименьший балл", min_value=0, max_value=99, initial=0,
                                   error_messages={"required": "Укажите наименьший балл.",
                                                   "invalid": "Балл — целое число."})
    max_score = forms.IntegerField(label="Наибольший балл", min_value=1, max_value=100,
                                   initial=10,
                                   error_messages={"required": "Укажите наибольший балл.",
                                                   "invalid": "Балл — целое число."})

    def clean(self):
        data = super().clean()
        if data.get("min_score") is not None and data.get("max_score") is not None and \
                data["max_score"] <= data["min_score"]:
            self.add_error("max_score", "Наибольший балл должен быть больше наименьшего.")
        return data


class JurorForm(forms.Form):
    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["methodist"] = uuid_choice("Методист РМА", candidates)
        self.fields["methodist"].label_from_instance = (
            lambda m: f"{m.full_name} — {m.municipality.name}")
        self.fields["is_chair"] = forms.BooleanField(label="Председатель жюри номинации",
                                                     required=False)


class AssignForm(forms.Form):
    def __init__(self, *args, applications, jurors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"] = uuid_choice("Заявка", applications)
        self.fields["juror"] = uuid_choice("Член жюри", jurors)


class ApplicationForm(forms.ModelForm):
    video_url = forms.URLField(
        label="Ссылка на видеофильм", required=False, max_length=500, assume_scheme="https",
        help_text="Обязательна в видеономинации, например https://rutube.ru/video/….",
        error_messages={"invalid": "Введите ссылку, например https://rutube.ru/video/…."})

    class Meta:
        model = Application
        fields = ["title", "authors", "description", "video_url", "subjects", "risk_factors"]
        widgets = {"authors": forms.Textarea(attrs={"rows": 3}),
                   "description": forms.Textarea(attrs={"rows": 6}),
                   "subjects": forms.SelectMultiple(attrs={"size": 6}),
                   "risk_factors": forms.SelectMultiple(attrs={"size": 6})}
        help_texts = {
            "authors": "Каждый автор с новой строки: ФИО, должность.",
            "subjects": "Необязательно. Для поиска в банке практик.",
            "risk_factors": "Факторы риска, на преодоление которых направлена практика.",
        }
        error_messages = {
            "title": {"required": "Укажите название практики."},
            "authors": {"required": "Укажите авторов практики."},
            "description": {"required": "Опишите практику."},
        }

    def __init__(self, *args, subjects, risk_factors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = subjects
        self.fields["risk_factors"].queryset = risk_factors
        for name in ("subjects", "risk_factors"):
            self.fields[name].error_messages["invalid_choice"] = "Выберите значение из списка."

    def validate_unique(self):
        """One application per school and nomination: checked by the service."""


class NewApplicationForm(ApplicationForm):
    material_title = forms.CharField(label="Название материала", max_length=300,
                                     required=False,
                                     help_text="Например: «Описание практики», «Презентация».")
    file = _file_field("Файл с материалами практики", required=False)

    def __init__(self, *args, nominations, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"] = uuid_choice("Номинация", nominations)
        self.fields["nomination"].label_from_instance = lambda n: str(n)
        self.fields["nomination"].empty_label = "— выберите номинацию —"
        self.fields["school"] = uuid_choice("Школа", schools)
        self.fields["school"].empty_label = "— выберите школу —"
        self.order_fields(["school", "nomination", "title", "authors", "description",
                           "video_url", "material_title", "file", "subjects", "risk_factors"])

    clean_file = MATERIAL_FILE.form_clean()


class MaterialForm(forms.Form):
    title = forms.CharField(label="Название материала", max_length=300, required=False)
    file = _file_field("Файл")

    clean_file = MATERIAL_FILE.form_clean()


class VersionForm(forms.Form):
    file = _file_field("Новая версия файла")

    clean_file = MATERIAL_FILE.form_clean()


class ScoreForm(forms.Form):
    """One field pair (score, comment) per criterion of the nomination."""

    comment = forms.CharField(label="Общий комментарий", required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, initial_scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_scores = initial_scores or {}
        for c in criteria:
            value, note = initial_scores.get(c.pk, (None, ""))
            self.fields[f"score_{c.pk}"] = forms.IntegerField(
                label=f"{c.number}. {c.title} (вес {c.weight_label}; баллы "
                      f"{c.min_score}–{c.max_score})",
                required=False, initial=value,
                widget=forms.NumberInput(attrs={"min": c.min_score, "max": c.max_score}),
                error_messages={"invalid": "Балл — целое число."})
            self.fields[f"note_{c.pk}"] = forms.CharField(
                label="Комментарий к критерию", required=False, max_length=2000, initial=note,
                widget=forms.Textarea(attrs={"rows": 2}))
        self.order_fields([f for c in criteria for f in (f"score_{c.pk}", f"note_{c.pk}")]
                          + ["comment"])

    def values(self) -> dict:
        return {c.pk: (self.cleaned_data.get(f"score_{c.pk}"),
                       self.cleaned_data.get(f"note_{c.pk}") or "") for c in self.criteria}


class CorrectionForm(ScoreForm):
    reason = forms.CharField(label="Причина исправления", max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Укажите причину исправления."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["comment"]


class ResultForm(forms.Form):
    place = forms.TypedChoiceField(label="Место", required=False, coerce=int, empty_value=None,
                                   choices=[("", "без места")] + list(Application.PLACES),
                                   error_messages={"invalid_choice": "Место — I, II или III."})
    in_bank = forms.BooleanField(label="В банк лучших практик", required=False)


class CoursesForm(forms.Form):
    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["courses"] = forms.ModelMultipleChoiceField(
            label="Курсы, в программу которых включена практика", queryset=courses,
            required=False, to_field_name="public_id",
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Выберите курс из списка."})
