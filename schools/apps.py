from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "schools"
    verbose_name = "Реестр школ"

    def ready(self) -> None:
        from core.audit import describe
        from core.jobs import register_job_kind
        from core.registry import home_section, nav_item
        from core.roles import Role

        from . import exports, importer, rules, sections, services  # noqa: F401  (importer registers itself)

        rules.register()
        nav_item("schools", "Школы", "schools:school_list", group="schools", order=10,
                 permission="schools.view_school")
        home_section("admin_regions", "Регионы портала", "schools/home/_regions.html",
                     sections.home_regions, roles=(Role.ADMINISTRATOR, Role.FEDERAL_OBSERVER),
                     order=10)
        home_section("regional", "Мой регион", "schools/home/_region.html",
                     sections.home_region, roles=(Role.REGIONAL_STAFF,), order=20)
        home_section("municipal", "Мой муниципалитет", "schools/home/_municipality.html",
                     sections.home_municipality, roles=(Role.MUNICIPAL_COORDINATOR,), order=30)
        home_section("school", "Моя школа", "schools/home/_school.html",
                     sections.home_school, roles=(Role.SCHOOL_COORDINATOR,), order=40)
        describe("schools.school.created", "Добавлена школа")
        describe("schools.import.uploaded", "Загружен файл для импорта")
        describe("schools.import.rechecked", "Проверка файла импорта запущена снова")
        describe("schools.import.previewed", "Файл импорта проверен")
        describe("schools.import.mapping_changed", "Изменено сопоставление столбцов")
        describe("schools.import.applied", "Файл импорта применён")
        describe("schools.thresholds.set", "Заданы пороги ИОР/ИСБ")
        nav_item("imports", "Импорт данных", "schools:import_list", group="admin", order=80,
                 permission="schools.add_importbatch")
        nav_item("thresholds", "Пороги ИОР/ИСБ", "schools:thresholds", group="admin", order=85,
                 permission="schools.change_indexthresholds")
        register_job_kind("schools.import_preview", "Проверка файла импорта",
                          services.import_preview_run, permission="schools.add_importbatch")
        register_job_kind("schools.import_apply", "Применение файла импорта",
                          services.import_apply_run, permission="schools.add_importbatch")
        register_job_kind("schools.export", "Выгрузка списка школ в Excel",
                          exports.schools_export_run, permission="schools.export_school")
