"""A private PostgreSQL cluster and redis-server for the load and fault runs.

The fault run restarts the database and Redis under load: it must never touch the machine's
shared servers (other people's suites use them).  ``OwnServices`` creates a throw-away cluster
with ``initdb`` (from ``/usr/lib/postgresql/*/bin``) in a temporary folder and starts
``postgres`` and ``redis-server`` on spare ports; ``restart_postgres``/``restart_redis`` stop and
start exactly those processes, ``stop`` removes everything.  As root, PostgreSQL refuses to run:
the cluster then belongs to the ``postgres`` system user (``runuser``).
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path


def free_port(preferred: int) -> int:
    for port in [preferred] + list(range(preferred + 1, preferred + 50)):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
                return port
            except OSError:
                continue
    raise RuntimeError("no free port")


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} not found under /usr/lib/postgresql/*/bin")
    return found[-1]


class OwnServices:
    def __init__(self, pg_port: int = 5439, redis_port: int = 6389):
        self.pg_port, self.redis_port = free_port(pg_port), free_port(redis_port)
        self.folder = Path(tempfile.mkdtemp(prefix="placette-services-"))
        self.data = self.folder / "pg"
        self.redis: subprocess.Popen | None = None
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.started_pg = False

    @property
    def database_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.pg_port}/placette"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.as_user, *args], capture_output=True, text=True,
                              check=check, timeout=120)

    def start(self) -> "OwnServices":
        if self.as_user:
            shutil.chown(self.folder, "postgres", "postgres")
        self._pg(pg_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                 "--encoding=UTF8", "--locale=C.UTF-8")
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\nport = {self.pg_port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.folder}'\nfsync = on\n"
                       "max_connections = 200\nshared_buffers = 128MB\n")
        self.start_postgres()
        self._pg(pg_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U",
                 "postgres", "placette")
        self.start_redis()
        return self

    def start_postgres(self) -> None:
        self._pg(pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "pg.log"),
                 "-w", "-t", "60", "start")
        self.started_pg = True

    def stop_postgres(self, mode: str = "fast") -> None:
        self._pg(pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False)

    def restart_postgres(self, down_s: float = 2.0) -> None:
        self.stop_postgres()
        time.sleep(down_s)
        self.start_postgres()

    def start_redis(self) -> None:
        log = (self.folder / "redis.log").open("ab")
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "yes", "--appendfsync", "always",
             "--dir", str(self.folder)], stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True)
        for _ in range(100):
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", self.redis_port)) == 0:
                    return
            time.sleep(0.1)
        raise SystemExit("redis-server did not start")

    def stop_redis(self) -> None:
        if self.redis is not None and self.redis.poll() is None:
            self.redis.terminate()
            self.redis.wait(20)

    def restart_redis(self, down_s: float = 2.0) -> None:
        self.stop_redis()
        time.sleep(down_s)
        self.start_redis()

    def stop(self) -> None:
        self.stop_redis()
        if self.started_pg:
            self.stop_postgres("immediate")
            self.started_pg = False
        shutil.rmtree(self.folder, ignore_errors=True)
