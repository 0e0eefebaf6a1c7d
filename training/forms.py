import datetime

from django import forms
from django.utils import timezone

from core.files import TABLE_KINDS, register_upload_point
from core.forms import DATE, DATE_ERRORS, uuid_choice
from core.years import year_field

from .models import Course, Deficit, Enrolment, RouteStep

UPLOAD_HELP = ("Excel (.xlsx, .xls) или CSV: ФИО и школа (логин ФИС ОКО или название, как в "
               "реестре); по желанию — должность и предмет, а для ведомости результатов — дата "
               "завершения, результат аттестации и номер удостоверения. До записи вы увидите "
               "проверку каждой строки.")
NUMBER_ERRORS = {"invalid": "Введите целое число.", "min_value": "Слишком маленькое число.",
                 "max_value": "Слишком большое число.", "required": "Заполните поле."}


class CourseForm(forms.Form):
    title = forms.CharField(label="Название", max_length=500,
                            error_messages={"required": "Укажите название курса."})
    audience = forms.CharField(label="Категория слушателей", max_length=500,
                               error_messages={"required": "Укажите, для кого курс."},
                               help_text="Например: «учителя-предметники ШНОР».")
    hours = forms.IntegerField(label="Объём, часов", min_value=1, max_value=2000,
                               error_messages=NUMBER_ERRORS)
    form = forms.ChoiceField(label="Форма обучения", choices=Course.Form.choices)
    provider = forms.CharField(label="Организатор", max_length=500,
                               error_messages={"required": "Укажите организатора."},
                               help_text="Например: «ГБУ ДПО РО РИПК и ППРО».")
    description = forms.CharField(label="Описание", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))


class RunForm(forms.Form):
    label = forms.CharField(label="Поток", max_length=200, required=False,
                            help_text="Например: «поток 1» (необязательно).")
    starts_on = forms.DateField(label="Начало обучения", widget=DATE,
                                error_messages=DATE_ERRORS)
    ends_on = forms.DateField(label="Окончание обучения", widget=DATE,
                              error_messages=DATE_ERRORS)
    capacity = forms.IntegerField(label="Мест", min_value=1, max_value=100000, required=False,
                                  error_messages=NUMBER_ERRORS,
                                  help_text="Пусто — без ограничения.")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "Окончание обучения раньше его начала.")
        return data


STUDENTS_FILE = register_upload_point("training.enrolments", "Список слушателей курса",
                                      TABLE_KINDS, max_mb_setting="IMPORT_MAX_MB")


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Список слушателей", help_text=UPLOAD_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv"}),
        error_messages={"required": "Выберите файл.", "empty": "Файл пустой."})

    clean_file = STUDENTS_FILE.form_clean()


class EnrolForm(forms.Form):
    staff = uuid_choice("Педагог", None)
    subject = forms.ModelChoiceField(label="Предмет обучения", queryset=None, required=False,
                                     empty_label="— не указан —")

    def __init__(self, *args, staff, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = \
            lambda m: f"{m.full_name} — {m.school.short_name}"
        self.fields["subject"].queryset = subjects


class CompleteForm(forms.Form):
    enrolments = forms.MultipleChoiceField(
        label="Слушатели", choices=(), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Отметьте хотя бы одного слушателя.",
                        "invalid_choice": "Слушатель не найден на потоке: обновите страницу."})
    completed_on = forms.DateField(label="Дата завершения", widget=DATE,
                                   error_messages=DATE_ERRORS)
    result = forms.ChoiceField(label="Итоговая аттестация",
                               choices=[(Enrolment.Result.PASSED, "зачтено"),
                                        (Enrolment.Result.NOT_PASSED, "не зачтено")])

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolments"].choices = [(str(e.public_id), e.staff.full_name)
                                             for e in enrolments]


class EnrolmentForm(forms.Form):
    status = forms.ChoiceField(label="Состояние", choices=Enrolment.Status.choices)
    completed_on = forms.DateField(label="Дата завершения", widget=DATE, required=False,
                                   error_messages=DATE_ERRORS)
    result = forms.ChoiceField(label="Итоговая аттестация", choices=Enrolment.Result.choices,
                               required=False)
    certificate_number = forms.CharField(label="Номер удостоверения", max_length=64,
                                         required=False)
    subject = forms.ModelChoiceField(label="Предмет обучения", queryset=None, required=False,
                                     empty_label="— не указан —")

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subjects


class StaffForm(forms.Form):
    full_name = forms.CharField(label="ФИО", max_length=255,
                                error_messages={"required": "Укажите ФИО педагога."})
    position = forms.CharField(label="Должность", max_length=255, required=False)
    subjects = forms.ModelMultipleChoiceField(label="Предметы", queryset=None, required=False,
                                              widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label="Работает в школе", required=False, initial=True)

    def __init__(self, *args, subjects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = subjects


def _school_year() -> int:
    today = timezone.localdate()
    return today.year if today.month >= 8 else today.year - 1


class RouteForm(forms.Form):
    staff = uuid_choice("Педагог", None)
    year = year_field("Учебный год (начало)", error_messages=NUMBER_ERRORS,
                      help_text="2025 — это 2025/2026.")
    tutor = uuid_choice("Тьютор (методист РМА)", None, required=False,
                        empty_label="— назначит региональный координатор —")

    def __init__(self, *args, staff, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff
        self.fields["staff"].label_from_instance = \
            lambda m: f"{m.full_name} — {m.school.short_name}"
        self.fields["year"].initial = _school_year()
        if tutors is None:
            del self.fields["tutor"]
        else:
            self.fields["tutor"].queryset = tutors


class TutorForm(forms.Form):
    tutor = uuid_choice("Тьютор (методист РМА)", None, required=False,
                        empty_label="— без тьютора —")

    def __init__(self, *args, tutors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tutor"].queryset = tutors


class DeficitForm(forms.Form):
    area = forms.ChoiceField(label="Область", choices=Deficit.Area.choices)
    description = forms.CharField(label="Дефицит", max_length=500,
                                  error_messages={"required": "Опишите дефицит."},
                                  help_text="Например: «проектирование заданий на "
                                            "читательскую грамотность».")
    source = forms.ChoiceField(label="Источник", choices=Deficit.Source.choices)
    diagnostic = forms.CharField(label="Диагностика", max_length=255, required=False,
                                 help_text="Для дефицита по диагностике: её название.")
    diagnosed_on = forms.DateField(label="Дата диагностики", widget=DATE, required=False,
                                   error_messages=DATE_ERRORS)
    diagnostic_score = forms.IntegerField(label="Результат диагностики, %", min_value=0,
                                          max_value=100, required=False,
                                          error_messages=NUMBER_ERRORS)


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="Вид", choices=RouteStep.Kind.choices)
    deficit = forms.ModelChoiceField(label="Какой дефицит закрывает", queryset=None,
                                     required=False, empty_label="— не указан —")
    run = uuid_choice("Поток курса", None, required=False, empty_label="—")
    description = forms.CharField(label="Содержание", max_length=500, required=False)
    due_on = forms.DateField(label="Срок", widget=DATE, error_messages=DATE_ERRORS)

    def __init__(self, *args, deficits, runs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deficit"].queryset = deficits
        self.fields["run"].queryset = runs
        self.fields["run"].label_from_instance = lambda r: f"{r.course.title}: {r.period}"


class DoneForm(forms.Form):
    done_on = forms.DateField(label="Выполнено", widget=DATE, error_messages=DATE_ERRORS,
                              initial=datetime.date.today)


class NoteForm(forms.Form):
    text = forms.CharField(label="Заметка", max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "Заметка пустая.",
                                           "max_length": "Заметка длиннее 4000 знаков."})
