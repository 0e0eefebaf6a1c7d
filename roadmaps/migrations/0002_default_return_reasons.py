"""The default return reasons of seed 001, so every installation starts with them."""

from django.db import migrations

REASONS = [
    ("causes", "Анализ не отражает причины возникновения рисков"),
    ("decomposition", "Задачи не являются декомпозицией цели, не соотносятся с риском"),
    ("risks_missing", "Представлены не все рисковые направления, выбранные школой"),
    ("measurable", "Нет измеримых результатов мероприятий"),
    ("admin_only", "Исполнители — только администрация школы"),
    ("staffing", "Не предусмотрены кадровые ресурсы и корректировка штатного расписания"),
    ("formatting", "Не соблюдены требования к оформлению"),
]


def forwards(apps, schema_editor):
    reason = apps.get_model("roadmaps", "ReturnReason")
    for i, (code, title) in enumerate(REASONS):
        reason.objects.get_or_create(code=code, defaults={"title": title,
                                                          "position": (i + 1) * 10})


class Migration(migrations.Migration):
    dependencies = [("roadmaps", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
