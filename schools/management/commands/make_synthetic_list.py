from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.models import Region
from core.services import municipalities_bulk_create, region_create
from schools.synthetic import FEDERAL, reference, workbook


class Command(BaseCommand):
    help = ("Пишет реалистичный список школ (.xlsx) с особенностями официальных файлов. "
            "--federal: 89 регионов, ~2500 муниципалитетов, 40 000 школ. "
            "--create-reference заводит регионы и муниципалитеты списка в портале.")

    def add_arguments(self, parser):
        parser.add_argument("out", help="куда записать .xlsx")
        parser.add_argument("--federal", action="store_true")
        parser.add_argument("--regions", type=int, default=1)
        parser.add_argument("--first-region", type=int, default=61)
        parser.add_argument("--municipalities", type=int, default=10)
        parser.add_argument("--schools", type=int, default=100)
        parser.add_argument("--year", type=int, default=2023)
        parser.add_argument("--errors", type=int, default=0, help="строк с ошибками")
        parser.add_argument("--no-quirks", action="store_true")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--create-reference", action="store_true")

    def handle(self, *args, out, federal, regions, first_region, municipalities, schools,
               year, errors, no_quirks, seed, create_reference, **options):
        if federal:
            regions, municipalities, schools = (FEDERAL["regions"], FEDERAL["municipalities"],
                                                FEDERAL["schools"])
            first_region = 1
        if regions < 1 or municipalities < regions or schools < 1:
            raise CommandError("Нужно не меньше одного региона, муниципалитета на регион и школы.")
        if first_region + regions - 1 > 99:
            raise CommandError("Коды регионов должны быть от 1 до 99.")
        ref = reference(regions, municipalities, first_code=first_region)
        if create_reference:
            with transaction.atomic():
                for region in ref:
                    existing = Region.objects.filter(code=region.code).first()
                    target = existing or region_create(actor=None, code=region.code,
                                                       name=region.name)
                    municipalities_bulk_create(actor=None, region=target,
                                               names=region.municipalities)
        Path(out).write_bytes(workbook(ref, schools, year=year, quirks=not no_quirks,
                                       seed=seed, errors=errors))
        self.stdout.write(f"Записан {out}: регионов {regions}, муниципалитетов "
                          f"{municipalities}, школ {schools}, строк с ошибками {errors}.")
