import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.roles import Role
from core.services import membership_create
from curators.services import order_create, scheme_load
from roadmaps.services import upload_check
from tests.factories import UserFactory
from tests.files import pdf_bytes


def pdf(name: str = "prikaz.pdf", body: bytes = b"order"):
    f = SimpleUploadedFile(name, pdf_bytes(body.decode()))
    return upload_check(f, f.name, f.size)


@pytest.fixture
def order_a(world_a):
    return order_create(actor=world_a.regional_staff, region=world_a.region, year=2022,
                        number="235", date=datetime.date(2022, 3, 9))


@pytest.fixture
def second_curator(world_a):
    user = UserFactory(username="curator_a_2", last_name="Второва", first_name="Анна",
                       middle_name="Павловна")
    membership_create(actor=None, user=user, role=Role.CURATOR, region=world_a.region)
    return user


@pytest.fixture
def scheme(db):
    return scheme_load(actor=None, year=2022)
