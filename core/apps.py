from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Ядро портала"

    def ready(self) -> None:
        from . import checks, rules, signals  # noqa: F401  (registration side effects)
        from .audit import describe
        from .exports import audit_export_run
        from .jobs import JOB_IMPORT_KIND, JOB_KIND, register_job_kind
        from .models import NotificationChannel
        from .notifications import notification_kind
        from .registry import nav_item
        from .roles import Role

        rules.register()
        nav_item("home", "Главная", "core:home", group="home", order=0)
        nav_item("audit", "Журнал действий", "core:audit_list", group="admin", order=90,
                 permission="core.view_auditentry")
        register_job_kind("core.audit_export", "Выгрузка журнала действий в Excel",
                          audit_export_run, permission="core.view_auditentry", restartable=True)
        notification_kind(JOB_IMPORT_KIND, "Проверка или применение файла импорта "
                          "завершены", group="Фоновые задачи", order=900,
                          roles=(Role.REGIONAL_STAFF, Role.MUNICIPAL_COORDINATOR))
        # a report or an export is usually watched on its page until it is ready: a letter
        # each time would be noise, so by default the portal only
        notification_kind(JOB_KIND, "Отчёт или выгрузка готовы (или не получились)",
                          group="Фоновые задачи", order=910,
                          default=NotificationChannel.PORTAL)
        for code, label in {
            "core.user.created": "Создан пользователь",
            "core.user.changed": "Изменены данные пользователя",
            "core.membership.created": "Назначена роль",
            "core.membership.ended": "Роль завершена",
            "core.region.created": "Создан регион",
            "core.municipality.created": "Создан муниципалитет",
            "core.municipality.bulk_created": "Загружен справочник муниципалитетов",
            "core.login.succeeded": "Вход в портал",
            "core.admin.request": "Открыта страница администрирования",
            "core.login.failed": "Неудачная попытка входа",
            "core.login.locked_out": "Вход заблокирован после неудачных попыток",
            "core.password.changed": "Пароль изменён",
            "core.password.check_failed": "Неверно введён текущий пароль при смене пароля",
            "core.password.check_locked": "Смена пароля заблокирована после неудачных попыток",
            "core.job.requeued": "Фоновая задача снова отправлена в очередь",
            "core.job.started": "Запущена фоновая задача",
            "core.job.succeeded": "Фоновая задача выполнена",
            "core.job.failed": "Фоновая задача завершилась ошибкой",
            "core.job.result_purged": "Файл результата удалён по истечении срока",
            "core.job.restarted": "Фоновая задача запущена повторно",
            "core.notification_preferences.changed": "Изменены настройки уведомлений",
        }.items():
            describe(code, label)
