from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.exceptions import DomainError
from demo.loader import DemoLoader


class Command(BaseCommand):
    help = ("Создаёт демонстрационный регион (Ростовская область, 2022: 39 муниципалитетов, "
            "60 школ, 9 кураторов) и второй регион (Свердловская область, Каменск-Уральский). "
            "Повторный запуск ничего не меняет.")

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", default=str(settings.DEMO_DATA_DIR),
                            help="папка с таблицами из shared/data")
        parser.add_argument("--i-know-this-is-production", action="store_true",
                            dest="production_confirmed",
                            help="загрузить демо-данные и демо-учётные записи с известным "
                                 "паролем даже в рабочий портал (production)")

    def handle(self, *args, data_dir, production_confirmed=False, **options):
        if getattr(settings, "PORTAL_PRODUCTION", False) and not production_confirmed:
            raise CommandError(
                "Это рабочий портал (настройки production): демо-данные создали бы "
                "вымышленные школы и учётные записи с известным паролем рядом с настоящими. "
                "Демо-данные не загружены. Если это действительно нужно (стенд для "
                "обучения), запустите команду с ключом --i-know-this-is-production.")
        try:
            report = DemoLoader(data_dir, settings.DEMO_PASSWORD).load()
        except (DomainError, FileNotFoundError) as exc:
            raise CommandError(str(exc))
        created = ", ".join(f"{what}: {n}" for what, n in report.created.items())
        self.stdout.write(f"Демо-данные загружены. Создано — {created or 'ничего (уже было)'}.")
        self.stdout.write(f"Учётные записи для входа ({settings.PORTAL_BASE_URL}/login/):")
        for label, username, password in report.accounts:
            self.stdout.write(f"  {label:<60} логин: {username:<22} пароль: {password}")
        if settings.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend":
            self.stdout.write(f"Письма портала никуда не отправляются: каждое сохраняется "
                              f"файлом в {settings.EMAIL_FILE_PATH}.")
