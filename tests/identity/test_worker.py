"""`placette worker` really runs tasks: a web app queues them, a separate worker process runs
them -- on the embedded SQLite queue and on Redis -- including an activated plugin's tasks."""
from __future__ import annotations

import email
import email.policy
import subprocess
import uuid

import pytest

from placette.testing import mail_text

from .helpers import PLACETTE, placette, stop, wait_for


def _mails_to(folder, address):
    found = []
    for path in sorted((folder / "outbox").glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if address in message["To"]:
            found.append(message)
    return found


@pytest.mark.parametrize("backend", ["sqlite", "redis"])
def test_worker_runs_web_and_plugin_tasks(backend, request, migrated_instance, testplug_env,
                                          monkeypatch):
    name = f"placette-test-{uuid.uuid4().hex[:10]}"
    queue = {"PLACETTE_QUEUE_NAME": name}
    if backend == "redis":
        queue["PLACETTE_QUEUE_URL"] = request.getfixturevalue("redis_server")
    address = f"worker-{backend}@example.org"
    placette("users", "create", address, "--name", "Worker test", "--instance",
             migrated_instance)

    env = testplug_env(PLACETTE_INSTANCE=str(migrated_instance), PLACETTE_PLUGINS="testplug",
                       **queue)
    worker = subprocess.Popen([PLACETTE, "worker", "--workers", "1"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        # The web side: a separate app (this process) on the same queue, sending a sign-in link.
        for key, value in queue.items():
            monkeypatch.setenv(key, value)
        from placette.app import create_app
        web = create_app(migrated_instance)
        web.config["WTF_CSRF_ENABLED"] = False
        response = web.test_client().post("/auth/sign-in", data={"email": address})
        assert response.status_code == 200
        assert web.extensions["placette"].queue.huey.immediate is False

        mails = wait_for(lambda: _mails_to(migrated_instance, address), 60,
                         what="the worker to deliver the sign-in mail")
        assert len(mails) == 1
        assert "/auth/link/" in mail_text(mails[0])

        # An activated plugin's task, queued from the plugin's own command, runs in the worker.
        result = placette("testplug", "enqueue", backend, env=env)
        assert result.returncode == 0, result.stderr
        done = migrated_instance / f"testplug-{backend}.done"
        wait_for(done.exists, 60, what="the plugin's task to run")
    finally:
        out, err = stop(worker)
    assert f"queue '{name}'" in out, out + err
    assert "testplug.touch" in out and "placette.mail.deliver" in out


def test_worker_refuses_an_unreachable_queue(migrated_instance):
    from .helpers import assert_one_line_error, clean_env
    result = placette("worker", "--instance", migrated_instance,
                      env=clean_env(PLACETTE_REDIS_URL="redis://127.0.0.1:9/0"))
    assert_one_line_error(result, "key 'redis_url'", "does not answer")
