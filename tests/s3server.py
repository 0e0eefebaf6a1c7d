"""An S3-compatible object store for the tests: moto's standalone server, started as its own
process on its own port (never a shared service), stopped when the tests are done."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ACCESS_KEY = "portal-test"
SECRET_KEY = "portal-test-secret"
REGION = "us-east-1"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _wait_for(host: str, port: int, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"moto_server exited with {process.returncode}")
        try:
            with socket.create_connection((host, port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"moto_server did not listen on {host}:{port} in {seconds} s")


@contextmanager
def s3_server(host: str = "127.0.0.1", port: int | None = None, bind: str | None = None):
    """Yield the endpoint URL of a running moto server; ``bind`` (default: ``host``) is the
    address it listens on, ``host`` the one clients use."""
    port = port or free_port(host)
    binary = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen([str(binary), "-H", bind or host, "-p", str(port)],  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(host, port, process)
        yield f"http://{host}:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=ACCESS_KEY,
                        aws_secret_access_key=SECRET_KEY, region_name=REGION)


def storage_settings(endpoint: str, bucket: str) -> dict:
    """``STORAGES['default']`` as config/settings/base.py builds it for FILE_STORAGE=s3."""
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": endpoint, "region_name": REGION,
        "access_key": ACCESS_KEY, "secret_key": SECRET_KEY, "addressing_style": "path",
        "signature_version": "s3v4", "file_overwrite": False, "default_acl": None,
        "querystring_expire": 60}}
