from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import DomainError
from risk_profiles.services import CATALOGUE_CSV, catalogue_load


class Command(BaseCommand):
    help = ("Загрузить каталог факторов риска ФИОКО (CSV: code,title,position,years). "
            "Повторный запуск ничего не меняет; расхождение с каталогом портала — ошибка.")

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=CATALOGUE_CSV)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"Файл {file} не найден.")
        try:
            result = catalogue_load(actor=None, path=file)
        except DomainError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"Факторов добавлено: {result.created}, уже были: {result.unchanged}.")
