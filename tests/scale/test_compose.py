"""docker-compose.yml keeps the shape the scale-out test proves (tests/scale): several web and
worker replicas with no state of their own, files in the object store, health checks on
/health/."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES = COMPOSE["services"]


def test_two_web_and_two_worker_replicas_share_everything_through_services():
    for name in ("web", "worker"):
        service = SERVICES[name]
        assert service["deploy"]["replicas"] == 2
        assert service["read_only"] is True and service["tmpfs"] == ["/tmp"]  # noqa: S108
        assert not service.get("volumes"), f"{name} keeps files of its own"
        env = service["environment"]
        assert env["FILE_STORAGE"] == "s3" and env["S3_ENDPOINT_URL"] == "http://minio:9000"
        assert env["CACHE_URL"].startswith("redis://redis:")
        assert "MEDIA_ROOT" not in env


def test_health_checks_read_the_health_endpoint_and_a_worker_ping():
    assert "/health/" in " ".join(SERVICES["web"]["healthcheck"]["test"])
    assert "inspect ping" in " ".join(SERVICES["worker"]["healthcheck"]["test"])
    assert SERVICES["nginx"]["depends_on"]["web"]["condition"] == "service_healthy"


def test_migrations_run_once_before_any_replica():
    assert SERVICES["migrate"]["command"] == "python manage.py migrate --noinput"
    assert "migrate" not in SERVICES["web"]["command"]
    assert SERVICES["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully")


def test_the_object_store_and_its_bucket_come_with_the_stack():
    assert SERVICES["minio"]["image"].startswith("minio/minio:")
    assert "mc mb --ignore-existing portal/portal500" in SERVICES["minio-bucket"]["entrypoint"]
    assert set(COMPOSE["volumes"]) == {"pgdata", "redisdata", "objects"}
