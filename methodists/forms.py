from django import forms

from core.files import TABLE_KINDS, register_upload_point
from core.forms import DATE, DATE_ERRORS, uuid_choice

from .models import Methodist

UPLOAD_HELP = ("Excel (.xlsx, .xls) или CSV: ФИО, муниципалитет, предмет (несколько — через "
               "«;»); по желанию — место работы (логин ФИС ОКО или название), должность, дата "
               "и результат оценки компетенций, тьютор (да/нет). Заголовки таблицы находятся "
               "автоматически; до применения вы увидите, что изменится.")


class MethodistForm(forms.Form):
    full_name = forms.CharField(label="ФИО", max_length=255,
                                error_messages={"required": "Укажите ФИО методиста."})
    municipality = uuid_choice("Муниципалитет (место работы)", None)
    workplace = forms.CharField(
        label="Место работы", max_length=500, required=False,
        help_text="Логин ФИС ОКО или название школы из реестра — будет связано со школой; "
                  "иначе — название организации как есть.")
    position = forms.CharField(label="Должность", max_length=255, required=False)
    subjects = forms.ModelMultipleChoiceField(
        label="Предметы", queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple)
    other_subjects = forms.CharField(
        label="Другие предметы", max_length=500, required=False,
        help_text="Если предмета нет в списке: названия через «;».")
    assessed_on = forms.DateField(label="Дата оценки компетенций", widget=DATE,
                                  required=False, error_messages=DATE_ERRORS)
    assessment_score = forms.IntegerField(
        label="Результат оценки, %", min_value=0, max_value=100, required=False,
        error_messages={"min_value": "Результат — процент от 0 до 100.",
                        "max_value": "Результат — процент от 0 до 100.",
                        "invalid": "Введите целое число процентов."})
    is_tutor = forms.BooleanField(label="Тьютор (сопровождает ИОМ педагогов)", required=False)
    status = forms.ChoiceField(label="Статус", choices=Methodist.Status.choices,
                               initial=Methodist.Status.ACTIVE)

    def __init__(self, *args, municipalities, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["subjects"].queryset = subjects

    def clean(self):
        data = super().clean()
        if not data.get("subjects") and not (data.get("other_subjects") or "").strip():
            self.add_error("subjects", "Укажите хотя бы один предмет.")
        return data


POOL_FILE = register_upload_point("methodists.pool", "Список РМА (импорт)", TABLE_KINDS,
                                  max_mb_setting="IMPORT_MAX_MB")


class PoolUploadForm(forms.Form):
    file = forms.FileField(
        label="Файл со списком РМА", help_text=UPLOAD_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
        error_messages={"required": "Выберите файл.", "empty": "Файл пустой."})

    clean_file = POOL_FILE.form_clean()
