"""The production shape, tested: deploy/nginx/portal.conf.template (what docker-compose.yml
runs) in front of a test server, TLS included. Two browsers at two addresses reach the
portal only through nginx; each also writes a forged X-Forwarded-For, which must not move
the lockout off its real address (issue 22, item 1)."""

import http.client
import re
import shutil
import socket
import ssl
import subprocess
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from axes.models import AccessAttempt

from conftest import PASSWORD
from core.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
MISTYPER, COLLEAGUE = "127.0.0.2", "127.0.0.3"  # the loopback net is all ours


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _render(template: str, values: dict[str, str]) -> str:
    """What envsubst does in the nginx image with NGINX_ENVSUBST_FILTER: only our
    variables are replaced, nginx's own ($host …) stay."""
    for name, value in values.items():
        template = template.replace("${" + name + "}", value)
    assert not re.search(r"\$\{[A-Z_]+\}", template), "a variable was left unset"
    return template


@pytest.fixture
def nginx(live_server, tmp_path, settings):
    settings.TRUSTED_PROXY_COUNT = 1  # as docker-compose.yml sets it
    subprocess.run(  # noqa: S603
        [OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(tmp_path / "portal.key"),
         "-out", str(tmp_path / "portal.crt")], check=True, capture_output=True)
    port, plain = _free_port(), _free_port()
    upstream = live_server.url.split("://", 1)[1].replace("localhost", "127.0.0.1")
    server = _render((ROOT / "deploy/nginx/portal.conf.template").read_text(), {
        "PORTAL_UPSTREAM": upstream, "NGINX_HTTP_PORT": str(plain),
        "NGINX_HTTPS_PORT": str(port), "TLS_CERTIFICATE": str(tmp_path / "portal.crt"),
        "TLS_CERTIFICATE_KEY": str(tmp_path / "portal.key")})
    (tmp_path / "portal.conf").write_text(server)
    temp = "\n".join(f"    {kind}_temp_path {tmp_path}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"daemon off;\npid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log warn;\n"
        f"events {{}}\nhttp {{\n    access_log off;\n{temp}\n"
        f"    include {tmp_path}/portal.conf;\n}}\n")
    process = subprocess.Popen(  # noqa: S603
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            time.sleep(0.05)
    yield port, plain
    process.terminate()
    process.wait(timeout=10)


class Browser:
    """One browser at ``address``: keeps its cookies, talks HTTPS to nginx."""

    def __init__(self, port: int, address: str):
        self.port, self.address, self.cookies = port, address, SimpleCookie()
        self.context = ssl.create_default_context()
        self.context.check_hostname = False
        self.context.verify_mode = ssl.CERT_NONE

    def request(self, method: str, path: str, body: dict | None = None,
                forged: str = "10.66.0.1"):
        conn = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context,
                                           source_address=(self.address, 0), timeout=30)
        headers = {"X-Forwarded-For": forged, "Referer": f"https://127.0.0.1:{self.port}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or ():
            self.cookies.load(value)
        conn.close()
        return response.status, text

    def login(self, username: str, password: str, forged: str = "10.66.0.1") -> int:
        self.cookies = SimpleCookie()
        _, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _ = self.request("POST", "/login/", {
            "csrfmiddlewaretoken": token, "username": username, "password": password},
            forged=forged)
        return status


@pytest.mark.django_db(transaction=True)
def test_through_nginx_a_mistyped_password_locks_one_browser_only(nginx, world_a):
    port, _ = nginx
    mistyper, colleague = Browser(port, MISTYPER), Browser(port, COLLEAGUE)
    for n in range(5):  # the fifth failure already answers with the lockout page
        expected = 429 if n == 4 else 200
        assert mistyper.login("staff_a", "wrong-password", forged=f"10.66.0.{n}") == expected
    # that browser is locked for that account, a forged header changes nothing …
    assert mistyper.login("staff_a", PASSWORD, forged="10.66.0.99") == 429
    # … another account from it, and every other browser, log in as usual
    assert mistyper.login("mun_a", PASSWORD) == 302
    assert colleague.login("school_a", PASSWORD) == 302
    assert colleague.login("staff_a", PASSWORD) == 302
    # the lock and the audit trail name the real address, never the forged one
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {MISTYPER}
    failed = set(AuditEntry.objects.filter(action="core.login.failed")
                 .values_list("ip_address", flat=True))
    assert failed == {MISTYPER}
    assert AuditEntry.objects.filter(action="core.login.succeeded",
                                     ip_address=COLLEAGUE).count() == 2




@pytest.mark.django_db(transaction=True)
def test_nginx_answers_plain_http_with_a_redirect_to_https(nginx):
    _, plain = nginx
    conn = http.client.HTTPConnection("127.0.0.1", plain, timeout=10)
    conn.request("GET", "/login/?next=/schools/")
    response = conn.getresponse()
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/login/?next=/schools/"
    assert "nginx/" not in (response.getheader("Server") or "")  # server_tokens off
