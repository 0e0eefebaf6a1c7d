"""Several hosts on one machine: two web hosts (gunicorn) and two worker hosts (Celery), each
in a network namespace of its own with its own address, a read-only media directory and
nothing but the database, Redis and the object store to keep anything in; nginx in front.

The shared PostgreSQL and Redis listen on 127.0.0.1 only: socat forwards the bridge
address to them (a database and a Redis database number of the test's own, so nothing of
the suite's is touched). The S3 server (moto) and nginx are the test's own processes.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
IP = shutil.which("ip") or "/usr/sbin/ip"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SOCAT = shutil.which("socat") or "/usr/bin/socat"
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"
UNSHARE = shutil.which("unshare") or "/usr/bin/unshare"
PSQL = shutil.which("psql") or "/usr/bin/psql"
PYTHON = sys.executable


def run(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, capture_output=True, text=True,  # noqa: S603
                            timeout=kwargs.pop("timeout", 300), **kwargs)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} exited with {result.returncode}:\n"
                           f"{result.stdout[-2000:]}{result.stderr[-2000:]}")
    return result


def missing() -> str:
    """Why this machine cannot run the hosts, or '' when it can."""
    if os.geteuid() != 0:
        return "network namespaces need root"
    for tool in (IP, NGINX, SOCAT, UNSHARE, OPENSSL):
        if not Path(tool).exists():
            return f"{tool} is not installed (scripts/ensure-system-deps.sh installs it)"
    return ""


@dataclass
class Host:
    name: str
    namespace: str
    address: str
    log: Path
    process: subprocess.Popen | None = None

    def kill(self) -> None:
        """The host dies at once, as a machine lost or a container OOM-killed."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Network:
    """A bridge in the root namespace and one namespace per host, all on one /24."""

    tag: str = field(default_factory=lambda: uuid.uuid4().hex[:5])
    subnet: str = ""
    namespaces: list[str] = field(default_factory=list)

    def __post_init__(self):
        self.subnet = f"10.{200 + int(self.tag[:2], 16) % 50}.{int(self.tag[2:4], 16)}"
        self.bridge = f"p5br{self.tag}"

    @property
    def gateway(self) -> str:
        return f"{self.subnet}.1"

    def up(self) -> None:
        run(IP, "link", "add", self.bridge, "type", "bridge")
        run(IP, "addr", "add", f"{self.gateway}/24", "dev", self.bridge)
        run(IP, "link", "set", self.bridge, "up")

    def host(self, name: str, number: int, log_dir: Path) -> Host:
        namespace = f"p5{self.tag}{name}"
        outside, inside = f"p5o{self.tag}{number}", f"p5i{self.tag}{number}"
        run(IP, "netns", "add", namespace)
        self.namespaces.append(namespace)
        run(IP, "link", "add", outside, "type", "veth", "peer", "name", inside)
        run(IP, "link", "set", inside, "netns", namespace)
        run(IP, "link", "set", outside, "master", self.bridge, "up")
        address = f"{self.subnet}.{10 + number}"
        for command in (("addr", "add", f"{address}/24", "dev", inside),
                        ("link", "set", inside, "up"), ("link", "set", "lo", "up")):
            run(IP, "netns", "exec", namespace, IP, *command)
        return Host(name, namespace, address, log_dir / f"{name}.log")

    def down(self) -> None:
        for namespace in self.namespaces:
            run(IP, "netns", "pids", namespace, check=False)
            pids = run(IP, "netns", "pids", namespace, check=False).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            run(IP, "netns", "delete", namespace, check=False)
        run(IP, "link", "delete", self.bridge, check=False)


def start_on(host: Host, command: list[str], env: dict[str, str], media: Path) -> None:
    """``command`` on ``host``: its own network namespace, and a mount namespace in which the
    media directory is mounted read-only — a write there fails, even as root."""
    script = f'mount --bind -o ro "{media}" "{media}" && exec "$@"'
    host.process = subprocess.Popen(  # noqa: S603
        [IP, "netns", "exec", host.namespace, UNSHARE, "--mount", "--propagation", "private",
         "sh", "-c", script, "host", *command],
        cwd=ROOT, env=env, stdout=host.log.open("ab"), stderr=subprocess.STDOUT,
        start_new_session=True)


def wait_for(predicate, what: str, seconds: float = 60, every: float = 0.2,
             hosts: list[Host] = ()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        for host in hosts:
            if host.process is not None and host.process.poll() is not None:
                raise RuntimeError(f"{host.name} exited:\n{host.text()[-3000:]}")
        time.sleep(every)
    logs = "\n".join(f"--- {h.name}\n{h.text()[-3000:]}" for h in hosts)
    raise TimeoutError(f"{what} did not happen in {seconds} s\n{logs}")


def forward(listen: str, port: int, target_port: int) -> subprocess.Popen:
    """The bridge address's ``port`` forwarded to 127.0.0.1:``target_port``."""
    return subprocess.Popen(  # noqa: S603
        [SOCAT, f"TCP-LISTEN:{port},bind={listen},fork,reuseaddr",
         f"TCP:127.0.0.1:{target_port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def nginx_config(tmp: Path, port: int, upstreams: list[str]) -> Path:
    """deploy/nginx/portal.conf.template — what docker-compose.yml runs — with the two web
    hosts as its upstream (round-robin) and, for the test, the answering host in a header."""
    run(OPENSSL, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        "-keyout", str(tmp / "portal.key"),
        "-out", str(tmp / "portal.crt"))
    server = (ROOT / "deploy/nginx/portal.conf.template").read_text()
    for name, value in {"NGINX_HTTP_PORT": str(port + 1), "NGINX_HTTPS_PORT": str(port),
                        "TLS_CERTIFICATE": str(tmp / "portal.crt"),
                        "TLS_CERTIFICATE_KEY": str(tmp / "portal.key")}.items():
        server = server.replace("${" + name + "}", value)
    servers = "".join(f"    server {u} max_fails=1 fail_timeout=5s;\n" for u in upstreams)
    assert server.count("    server ${PORTAL_UPSTREAM};\n") == 1, "the upstream line moved"
    server = server.replace("    server ${PORTAL_UPSTREAM};\n", servers)
    server = server.replace("proxy_pass http://portal_web;",
                            "proxy_pass http://portal_web;\n"
                            "        add_header X-Upstream $upstream_addr always;")
    server = server.replace("listen " + str(port) + " ssl",
                            "listen 127.0.0.1:" + str(port) + " ssl")
    server = server.replace("listen " + str(port + 1) + ";",
                            "listen 127.0.0.1:" + str(port + 1) + ";")
    assert not re.search(r"\$\{[A-Z_]+\}", server), "a variable was left unset"
    temp = "\n".join(f"    {kind}_temp_path {tmp}/{kind};"
                     for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp / "nginx.conf"
    conf.write_text(f"""user root;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {tmp}/nginx-access.log;
{temp}
    include {tmp}/portal.conf;
}}
""")
    (tmp / "portal.conf").write_text(server)
    return conf
