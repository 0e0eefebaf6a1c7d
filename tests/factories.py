"""factory_boy factories for the tenant hierarchy and users. Roles are given through the
services (``core.services.membership_create``) so guardian grants and audit rows exist."""

import factory

from core.models import Municipality, Region, User
from core.text import municipality_key
from schools.models import School, SchoolYear


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: 10 + n % 80)
    name = factory.LazyAttribute(lambda o: f"Регион {o.code}")


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Муниципальный район № {n}")
    name_key = factory.LazyAttribute(lambda o: municipality_key(o.name))


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    municipality = factory.SubFactory(MunicipalityFactory)
    region = factory.LazyAttribute(lambda o: o.municipality.region)
    full_name = factory.Sequence(lambda n: f"Средняя общеобразовательная школа № {n}")
    short_name = factory.Sequence(lambda n: f"МБОУ СОШ № {n}")

    @factory.lazy_attribute_sequence
    def login(self, n):
        # 8000-8999: clear of the logins the import tests write into their workbooks
        return f"sch{self.region.code:02d}{8000 + n % 1000:04d}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Иванов"
    first_name = "Иван"
    middle_name = "Иванович"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("Secret-pass-123")


class SchoolYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolYear

    school = factory.SubFactory(SchoolFactory)
    region = factory.LazyAttribute(lambda o: o.school.region)
    year = 2022
    is_shnor = True
    is_participant = True
    category = "СИЛЬНО НЕУСПЕВАЮЩАЯ"
