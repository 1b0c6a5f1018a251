"""Helpers for tests that drive placette from the outside: the real console script in a
subprocess, and a real HTTP client against a served instance."""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

PLACETTE = str(Path(sys.executable).parent / "placette")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess: ours without any PLACETTE_* variable, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLACETTE_")}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def placette(*args, env: dict[str, str] | None = None, cwd=None, timeout: float = 120,
             input: str | None = None) -> subprocess.CompletedProcess:
    """Run ``placette ARGS`` like an operator would, and return what it printed."""
    return subprocess.run([PLACETTE, *map(str, args)], capture_output=True, text=True,
                          env=env if env is not None else clean_env(), cwd=cwd,
                          timeout=timeout, input=input)


def assert_one_line_error(result: subprocess.CompletedProcess, *expected: str) -> str:
    """Exit status 2, nothing on stdout, ONE line on stderr holding every ``expected`` part."""
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for part in expected:
        assert part in lines[0], (part, lines[0])
    return lines[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout: float = 30, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def stop(process: subprocess.Popen, sig=signal.SIGINT, timeout: float = 15) -> tuple[str, str]:
    """Stop a server/worker we started (by its own pid) and return its output."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            return process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
    return process.communicate()


def wait_healthy(base_url: str, process: subprocess.Popen | None = None,
                 timeout: float = 90) -> dict:
    def check():
        if process is not None and process.poll() is not None:
            out, err = process.communicate()
            raise AssertionError(f"the server stopped (status {process.returncode}):\n"
                                 f"{out}\n{err}")
        try:
            response = requests.get(base_url + "/healthz", timeout=5)
        except (requests.ConnectionError, requests.Timeout):  # not listening, or still booting
            return None
        return response.json() if response.status_code == 200 else None
    return wait_for(check, timeout, 0.25, f"{base_url}/healthz")


CSRF_RE = re.compile(r'name="(?:[a-z]+-)?csrf_token" type="hidden" value="([^"]+)"|'
                     r'name="csrf_token" value="([^"]+)"|'
                     r'value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    for match in CSRF_RE.finditer(html):
        token = next(g for g in match.groups() if g)
        return token
    raise AssertionError("no CSRF token in the page")


class Browserless:
    """A person with a cookie jar: reads forms, sends them with their CSRF token."""

    def __init__(self, base_url: str):
        self.base = base_url.rstrip("/")
        self.http = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, timeout=15, **kwargs)

    def post_form(self, page: str, action: str | None = None, data=None,
                  **kwargs) -> requests.Response:
        """Open ``page``, take its CSRF token, post ``data`` to ``action`` (default: the page)."""
        token = csrf_token(self.get(page).text)
        body = dict(data or {}, csrf_token=token)
        return self.http.post(self.base + (action or page), data=body, timeout=30,
                              **kwargs)

    def sign_in_with_password(self, email: str, password: str) -> requests.Response:
        token = csrf_token(self.get("/auth/sign-in").text)
        return self.http.post(self.base + "/auth/password", timeout=30, data={
            "pw-csrf_token": token, "pw-email": email, "pw-password": password})
