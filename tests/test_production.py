"""The scale-out path on real servers: gunicorn (2 workers) + a ``placette worker`` process, on
PostgreSQL and Redis.  Nothing in-process: the test talks HTTP to gunicorn and reads the outbox
the worker writes, exactly as an operator would check a fresh deployment.
"""
from __future__ import annotations

import email
import email.policy
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
import tomli_w

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def placette(*args: str, env: dict, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "placette.cli", *args], env=env, check=check,
                          capture_output=True, text=True, timeout=120)


class Processes:
    """Child processes of one test, each stopped by its own id at the end."""

    def __init__(self):
        self.children: list[subprocess.Popen] = []

    def start(self, args: list[str], env: dict, log: Path) -> subprocess.Popen:
        handle = log.open("wb")
        child = subprocess.Popen(args, env=env, stdout=handle, stderr=subprocess.STDOUT,
                                 start_new_session=True)
        self.children.append(child)
        return child

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children:
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)


@pytest.fixture
def processes():
    group = Processes()
    yield group
    group.stop()


def wait_for(predicate, timeout: float, what: str, logs: list[Path] = ()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    details = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in logs
                        if p.exists())
    pytest.fail(f"timed out waiting for {what}\n{details}")


def healthy(url: str):
    try:
        response = requests.get(url + "/healthz", timeout=2)
    except requests.RequestException:
        return None
    return response if response.status_code == 200 else None


def csrf_from(html: str, name: str = "csrf_token") -> str:
    match = re.search(rf'name="{re.escape(name)}"[^>]*value="([^"]+)"', html) or \
        re.search(rf'value="([^"]+)"[^>]*name="{re.escape(name)}"', html)
    assert match, f"no {name} in the page"
    return match.group(1)


def production_instance(tmp_path: Path, database_url: str, redis_url: str) -> Path:
    """An instance folder configured like a production site on PostgreSQL + Redis."""
    folder = tmp_path / "instance"
    (folder / "outbox").mkdir(parents=True)
    (folder / "uploads").mkdir()
    settings = {
        "city": "Prodville", "secret_key": "production-test-" + uuid.uuid4().hex,
        "base_url": "http://127.0.0.1", "database_url": database_url,
        "redis_url": redis_url, "queue_url": redis_url,
        "queue_name": f"placette-prod-{uuid.uuid4().hex[:8]}",
        "plugins": [], "sign_in_rate_limit": "1000 per minute",
        "mail": {"backend": "outbox", "outbox_dir": "outbox"},
    }
    (folder / "placette.toml").write_text(tomli_w.dumps(settings), encoding="utf-8")
    return folder


def test_gunicorn_and_a_worker_serve_sign_in_and_deliver_mail(tmp_path, postgres, redis_server,
                                                              processes):
    folder = production_instance(tmp_path, postgres, redis_server)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    env["PLACETTE_INSTANCE"] = str(folder)
    placette("migrate", env=env)
    address = f"claire-{uuid.uuid4().hex[:8]}@example.org"
    placette("users", "create", address, "--name", "Claire Prod", "--password",
             "a-long-password-1", env=env)

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    web_log, worker_log = tmp_path / "gunicorn.log", tmp_path / "worker.log"
    web = processes.start([sys.executable, "-m", "gunicorn", "--no-control-socket",
                           "--workers", "2", "--bind", f"127.0.0.1:{port}",
                           "--graceful-timeout", "5", "placette.wsgi:app"], env, web_log)
    processes.start([sys.executable, "-m", "placette.cli", "worker", "--workers", "1"], env,
                    worker_log)

    health = wait_for(lambda: healthy(url), 60, "gunicorn to answer /healthz",
                      [web_log, worker_log])
    assert health.json() == {"status": "ok", "checks": {"database": "ok", "queue": "ok"}}
    assert web.poll() is None

    # Sign in with the password, through the real forms (CSRF on, cookies, redirects).
    browser = requests.Session()
    page = browser.get(url + "/auth/sign-in", timeout=10)
    assert page.status_code == 200
    response = browser.post(url + "/auth/password", data={
        "pw-csrf_token": csrf_from(page.text, "pw-csrf_token"), "pw-email": address,
        "pw-password": "a-long-password-1", "pw-next": "/"}, timeout=10)
    assert response.status_code == 200 and response.url.rstrip("/") == url
    assert "Claire Prod" in response.text
    me = browser.get(url + "/api/v1/me", timeout=10)
    assert me.status_code == 200 and me.json()["email"] == address

    # Sessions are signed cookies: whichever of the two workers answers, she stays signed in.
    assert all(browser.get(url + "/api/v1/me", timeout=10).status_code == 200 for _ in range(8))

    # A mail queued by the web process is delivered by the worker process (Redis in between).
    visitor = requests.Session()
    form = visitor.get(url + "/auth/sign-in", timeout=10)
    sent = visitor.post(url + "/auth/sign-in", data={
        "csrf_token": csrf_from(form.text), "email": address, "next": "/"}, timeout=10)
    assert sent.status_code == 200

    def delivered():
        for path in (folder / "outbox").glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if address in message["To"]:
                return message
        return None

    message = wait_for(delivered, 30, "the worker to deliver the sign-in mail",
                       [web_log, worker_log])
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://127\.0\.0\.1/auth/link/\S+", body)
    assert link, body
    # The link from the mail signs in on the real server.
    path = link.group(0)[len("http://127.0.0.1"):]
    confirm = visitor.get(url + path, timeout=10)
    assert confirm.status_code == 200
    signed = visitor.post(url + path, data={"csrf_token": csrf_from(confirm.text)}, timeout=10)
    assert "Claire Prod" in signed.text


def test_wsgi_module_refuses_a_broken_configuration_in_one_line(tmp_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "placette.toml").write_text('secret_key = "short"\n', encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    env["PLACETTE_INSTANCE"] = str(folder)
    result = subprocess.run([sys.executable, "-c", "import placette.wsgi"], env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 3  # gunicorn: worker failed to boot, do not respawn
    assert result.stderr.strip().splitlines() == [
        f"Error: {folder / 'placette.toml'}: key 'secret_key': String should have at least 16 "
        f"characters"]
