import uuid

import pytest

from tests import s3server


@pytest.fixture(scope="session")
def s3_endpoint():
    with s3server.s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def s3(settings, s3_endpoint):
    """Every stored file of the test goes to a fresh bucket of the S3 server; the local
    media directory must stay empty. Yields (boto3 client, bucket name)."""
    bucket = f"portal-{uuid.uuid4().hex[:12]}"
    client = s3server.client(s3_endpoint)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES,
                         "default": s3server.storage_settings(s3_endpoint, bucket)}
    yield client, bucket
