from django.db import migrations

#: School subjects and the subject groups of the seed's methodical pool.
SUBJECTS = [
    "Русский язык", "Литература", "Русский язык и литература", "Математика", "Информатика",
    "История", "Обществознание", "История и обществознание", "География", "Биология",
    "Физика", "Химия", "Иностранный язык", "Английский язык", "Немецкий язык",
    "Начальные классы", "Физическая культура", "ОБЖ", "Музыка", "Изобразительное искусство",
    "Технология", "Родной язык и литература", "ОРКСЭ", "Управление школой",
    "Педагог-психолог", "Социальный педагог",
]


def key(name):
    # methodists.models.subject_key as it is when this migration was written
    text = " ".join(name.replace("\u00a0", " ").split()).casefold().replace("ё", "е")
    return text.replace("-", " ").strip(" .")


def forwards(apps, schema_editor):
    Subject = apps.get_model("methodists", "Subject")
    for name in SUBJECTS:
        Subject.objects.get_or_create(name_key=key(name), defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("methodists", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
