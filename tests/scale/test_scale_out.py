"""The portal on several hosts (issue 26): two web hosts and two worker hosts in network
namespaces of their own, sharing PostgreSQL, Redis and an S3 server, nginx in front
(deploy/nginx/portal.conf.template, round-robin). No host keeps anything: the media
directory each sees is read-only, every file goes to the object store.

Through nginx: a school uploads a version on web A and its curator downloads it from web B;
a report started on A runs on a worker host and is downloaded through B; the worker running
a report is killed, the job is told interrupted, started again through B, runs on the other
worker and is downloaded."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path

import pytest

from tests import s3server
from tests.forms import form_fields

from . import cluster

pytestmark = [pytest.mark.scale, pytest.mark.skipif(bool(cluster.missing()),
                                                    reason=cluster.missing() or "ok")]

PASSWORD = "Demo-500plus"
SCHOOL, CURATOR, STAFF = "pervomayskaya.school", "lastovyrya", "rostov.region"


class Cluster:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.net = cluster.Network()
        self.tag = self.net.tag
        self.hosts: dict[str, cluster.Host] = {}
        self.helpers: list = []
        self.media = tmp / "media"
        self.media.mkdir()
        self.hold = tmp / "hold"
        self.database = f"portal500_scale_{self.tag}"
        self.port = s3server.free_port()

    # -- the shared services ------------------------------------------------------------------
    def services(self) -> None:
        self.net.up()
        gw = self.net.gateway
        self.helpers += [cluster.forward(gw, 5432, 5432), cluster.forward(gw, 6379, 6379)]
        self._s3 = s3server.s3_server(host=gw)
        self.s3_endpoint = self._s3.__enter__()
        self.bucket = f"portal-scale-{self.tag}"
        self.s3 = s3server.client(self.s3_endpoint)
        self.s3.create_bucket(Bucket=self.bucket)
        cluster.run(cluster.PSQL, "-h", "127.0.0.1", "-U", "postgres", "-c",
                    f"CREATE DATABASE {self.database}",
                    env={**os.environ, "PGPASSWORD": "postgres"})
        self._redis("FLUSHDB")

    def _redis(self, *command: str) -> None:
        import redis

        for db in (11, 12):
            redis.Redis(host="127.0.0.1", port=6379, db=db).execute_command(*command)

    def env(self, address: str = "127.0.0.1", **extra) -> dict[str, str]:
        db_host = self.net.gateway if address != "127.0.0.1" else "127.0.0.1"
        return {
            "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/root"),
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "scale-test-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost," + ",".join(
                h.address for h in self.hosts.values()),
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{self.port}",
            "DATABASE_URL": f"postgres://postgres:postgres@{db_host}:5432/{self.database}",
            "USE_CELERY_BROKER": "True",
            "CELERY_BROKER_URL": f"redis://{db_host}:6379/12",
            "CELERY_QUEUE": f"scale-{self.tag}",
            "CACHE_URL": f"redis://{db_host}:6379/11",
            "FILE_STORAGE": "s3", "S3_BUCKET": self.bucket, "S3_ENDPOINT_URL": self.s3_endpoint,
            "S3_ACCESS_KEY_ID": s3server.ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": s3server.SECRET_KEY,
            "MEDIA_ROOT": str(self.media),
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
            "TRUSTED_PROXY_COUNT": "1",
            "JOB_HEARTBEAT_SECONDS": "0.5", "JOB_HEARTBEAT_TIMEOUT_SECONDS": "4",
            "HEALTH_CELERY_SECONDS": "3",
            "SCALE_HOLD_FILE": str(self.hold),
            "PYTHONUNBUFFERED": "1",
            **extra}

    def seed(self) -> None:
        """The demo region, loaded from the root namespace into the test's database (its
        files into the bucket)."""
        env = self.env(DJANGO_SETTINGS_MODULE="config.settings.dev")
        for command in (("migrate", "--noinput"), ("load_demo",)):
            result = cluster.run(cluster.PYTHON, "manage.py", *command, cwd=cluster.ROOT,
                                 env=env, check=False, timeout=600)
            assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

    # -- the hosts ------------------------------------------------------------------------------
    def start(self) -> None:
        for number, name in enumerate(("web-a", "web-b", "worker-a", "worker-b"), start=1):
            self.hosts[name] = self.net.host(name, number, self.tmp)
        for name in ("web-a", "web-b"):
            host = self.hosts[name]
            cluster.start_on(host, [cluster.PYTHON, "-m", "gunicorn", "config.wsgi:application",
                                    "--bind", f"{host.address}:8000", "--workers", "2",
                                    "--timeout", "60"], self.env(host.address), self.media)
        for name in ("worker-a", "worker-b"):
            self.start_worker(name)
        conf = cluster.nginx_config(self.tmp, self.port,
                                    [f"{self.hosts[n].address}:8000" for n in ("web-a", "web-b")])
        cluster.run(cluster.NGINX, "-c", str(conf), "-p", str(self.tmp))
        for name in ("web-a", "web-b"):
            host = self.hosts[name]
            cluster.wait_for(lambda h=host: self._answers(f"http://{h.address}:8000/health/"),
                             f"{name} answering", seconds=90, hosts=[host])
        for name in ("worker-a", "worker-b"):
            host = self.hosts[name]
            cluster.wait_for(lambda h=host: " ready." in h.text(), f"{name} ready",
                             seconds=90, hosts=[host])

    def start_worker(self, name: str) -> None:
        host = self.hosts[name]
        cluster.start_on(host, [cluster.PYTHON, "-m", "celery", "-A", "config", "worker",
                                "--pool=solo", "--concurrency=1",
                                f"--queues=scale-{self.tag}", "--include=tests.scale.hooks",
                                "--without-gossip", "--without-mingle", "--loglevel=INFO",
                                f"--hostname={name}@scale"], self.env(host.address),
                         self.media)

    def _answers(self, url: str) -> bool:
        import requests

        try:
            return requests.get(url, timeout=5).status_code in (200, 500)
        except requests.RequestException:
            return False

    def stop(self) -> None:
        pid = self.tmp / "nginx.pid"
        if pid.exists():
            cluster.run(cluster.NGINX, "-c", str(self.tmp / "nginx.conf"), "-p", str(self.tmp),
                        "-s", "stop", check=False)
        for host in self.hosts.values():
            host.kill()
        self.net.down()
        for helper in self.helpers:
            helper.kill()
            helper.wait(timeout=10)
        if hasattr(self, "_s3"):
            self._s3.__exit__(None, None, None)
        self._redis("FLUSHDB")
        cluster.run(cluster.PSQL, "-h", "127.0.0.1", "-U", "postgres", "-c",
                    f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)", check=False,
                    env={**os.environ, "PGPASSWORD": "postgres"})

    # -- a browser through nginx ----------------------------------------------------------------
    @property
    def certificate(self) -> str:
        return str(self.tmp / "portal.crt")

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def keys(self) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket=self.bucket)
        return [o["Key"] for o in listing.get("Contents", [])]


class Browser:
    """A person's browser: a session through nginx, each answer naming the web host."""

    def __init__(self, portal: Cluster, username: str):
        import requests

        self.portal = portal
        self.session = requests.Session()
        self.session.headers["Referer"] = portal.url + "/"
        page = self.get("/login/")
        fields = form_fields(page.text, "/login/") if 'action="/login/"' in page.text else {
            "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"',
                                             page.text).group(1)}
        fields.update(username=username, password=PASSWORD)
        answer = self.post("/login/", data=fields)
        assert answer.status_code == 302, answer.text[:500]

    def _host(self, response) -> str:
        upstream = response.headers.get("X-Upstream", "")
        return next((name for name, h in self.portal.hosts.items()
                     if upstream.startswith(h.address + ":")), upstream)

    def get(self, path: str, **kwargs):
        return self.session.get(self.portal.url + path, allow_redirects=False, timeout=60,
                                verify=self.portal.certificate, **kwargs)

    def post(self, path: str, **kwargs):
        return self.session.post(self.portal.url + path, allow_redirects=False, timeout=60,
                                 verify=self.portal.certificate, **kwargs)

    def on(self, wanted: str, method: str, path: str, **kwargs):
        """``method`` on ``path`` served by the web host ``wanted``: nginx alternates the two
        hosts, so after an answer from the other one the next request is ``wanted``'s."""
        other = "web-b" if wanted == "web-a" else "web-a"
        for _ in range(4):
            if self._host(self.get("/login/")) == other:
                break
        response = getattr(self, method)(path, **kwargs)
        assert self._host(response) == wanted, (response.headers.get("X-Upstream"), wanted)
        return response


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    portal = Cluster(tmp_path_factory.mktemp("scale"))
    try:
        portal.services()
        portal.seed()
        portal.start()
        yield portal
    finally:
        portal.stop()


def _pdf(text: str) -> bytes:
    from tests.roadmaps.conftest import pdf_bytes

    return pdf_bytes(text)


def _job_finished(browser: Browser, job_path: str, timeout: float = 90) -> dict:
    status = job_path.split("?")[0].rstrip("/") + "/status/"
    return cluster.wait_for(
        lambda: (lambda d: d if d["finished"] else None)(browser.get(status).json()),
        f"job {job_path} finished", seconds=timeout, every=0.3,
        hosts=[h for h in browser.portal.hosts.values() if h.process.poll() is None])


def _received(host: cluster.Host) -> int:
    return host.text().count("Task core.tasks.job_run_task[")


def _ran(portal: Cluster, job_path: str) -> list[str]:
    """The worker hosts whose log says they ran the job of ``job_path`` to its end."""
    public_id = re.search(r"/jobs/([0-9a-f-]+)/", job_path).group(1)
    import psycopg

    with psycopg.connect(f"postgresql://postgres:postgres@127.0.0.1:5432/{portal.database}",
                         autocommit=True) as db:
        pk = db.execute("SELECT id FROM core_job WHERE public_id = %s", (public_id,)).fetchone()[0]
    done = re.compile(rf"Task core\.tasks\.job_run_task\[job-{pk}-[0-9a-f]+\] succeeded")
    return [name for name in ("worker-a", "worker-b") if done.search(portal.hosts[name].text())]


def test_every_host_is_healthy_through_nginx_and_metrics_stay_inside(portal):
    import requests

    health = requests.get(portal.url + "/health/", verify=portal.certificate, timeout=30)
    assert health.status_code == 200, health.text
    checks = {name.split("(")[0]: state for name, state in health.json().items()}
    assert checks == {"Database": "OK", "Cache": "OK", "Storage": "OK", "Redis": "OK",
                      "WorkerRoundTrip": "OK"}
    outside = requests.get(portal.url + "/metrics", verify=portal.certificate, timeout=30)
    assert outside.status_code == 404
    inside = requests.get(f"http://{portal.hosts['web-a'].address}:8000/metrics", timeout=30)
    assert inside.status_code == 200 and "django_http_requests_total" in inside.text


def test_a_version_uploaded_on_web_a_is_downloaded_by_the_curator_from_web_b(portal):
    school = Browser(portal, SCHOOL)
    checklist = re.search(r'href="(/documents/schools/[0-9a-f-]+/\d{4}/)"',
                          school.get("/").text + school.get("/documents/").text)
    assert checklist, "the coordinator's pages link no checklist"
    page = school.get(checklist.group(1)).text
    upload = re.search(r'href="(/documents/schools/[0-9a-f-]+/\d{4}/upload/)\?kind=([a-z_]+)"',
                       page)
    assert upload, "the checklist offers no upload"
    form = school.get(f"{upload.group(1)}?kind={upload.group(2)}").text
    fields = form_fields(form, upload.group(1))
    content = _pdf(f"концепция через два хоста {uuid.uuid4().hex}")
    before = set(portal.keys())
    answer = school.on("web-a", "post", upload.group(1), data=fields,
                       files={"file": ("концепция.pdf", content, "application/pdf")})
    assert answer.status_code == 302, answer.text[:2000]
    document = answer.headers["Location"]
    added = set(portal.keys()) - before
    assert len(added) == 1

    curator = Browser(portal, CURATOR)
    html = curator.get(document).text
    links = re.findall(r'href="(/documents/versions/[0-9a-f-]+/file/)"', html)
    assert links, html[:2000]
    served = {}
    for link in dict.fromkeys(links):
        response = curator.on("web-b", "get", link)
        served[link] = (response.status_code, response.content)
    assert (200, content) in served.values()
    assert list(portal.media.iterdir()) == []  # nothing on any host's disk


def _start_report(browser: Browser) -> str:
    board = browser.get("/monitoring/").text
    fields = form_fields(board, "/monitoring/reports/")
    assert fields.get("format") == "pdf"
    answer = browser.on("web-a", "post", "/monitoring/reports/", data=fields)
    assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
    return answer.headers["Location"]


def test_a_report_started_on_web_a_runs_on_a_worker_and_is_downloaded_through_web_b(portal):
    staff = Browser(portal, STAFF)
    job = _start_report(staff)
    data = _job_finished(staff, job)
    assert data["status"] == "succeeded", data
    assert len(_ran(portal, job)) == 1
    download = staff.on("web-b", "get", data["download_url"])
    assert download.status_code == 200 and download.content[:5] == b"%PDF-"
    assert list(portal.media.iterdir()) == []


def test_a_worker_killed_mid_report_the_job_runs_again_on_the_other_worker(portal):
    staff = Browser(portal, STAFF)
    portal.hold.write_text("hold")
    before = {name: _received(portal.hosts[name]) for name in ("worker-a", "worker-b")}
    job = _start_report(staff)
    status = job.split("?")[0].rstrip("/") + "/status/"
    cluster.wait_for(lambda: staff.get(status).json()["status"] == "running", "report running",
                     hosts=list(portal.hosts.values()))
    ran = [name for name, n in before.items() if _received(portal.hosts[name]) > n]
    assert len(ran) == 1
    killed, other = ran[0], ("worker-b" if ran[0] == "worker-a" else "worker-a")
    portal.hosts[killed].kill()

    data = _job_finished(staff, job, timeout=60)  # the heartbeat stops: «прервалась»
    assert data["status"] == "failed" and data["restartable"], data
    page = staff.get(job.split("?")[0] + "?stay=1").text
    restart = re.search(r'<form class="job__restart"[^>]*action="([^"]+)"', page)
    assert restart, "the job page offers no restart"
    fields = form_fields(page, restart.group(1))
    portal.hold.unlink()
    again = staff.on("web-b", "post", restart.group(1), data=fields)
    assert again.status_code == 302
    data = _job_finished(staff, again.headers["Location"])
    assert data["status"] == "succeeded", data
    assert _ran(portal, again.headers["Location"]) == [other]  # the survivor ran it
    assert _ran(portal, job) == []  # the killed run was never finished nor revived
    download = staff.on("web-b", "get", data["download_url"])
    assert download.status_code == 200 and download.content[:5] == b"%PDF-"
    portal.start_worker(killed)  # the machine comes back
    cluster.wait_for(lambda: portal.hosts[killed].text().count(" ready.") >= 2,
                     f"{killed} back", seconds=90)
    assert list(portal.media.iterdir()) == []
