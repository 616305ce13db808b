"""A server worker killed in the middle of a signing burst loses no acknowledged signature: every
request answered with the redirect to "check your email" has its signature and its confirmation
task in the database afterwards. Runs the production server (granian, 2 workers, group commit,
database task queue) on the demo site's database; no browser needed, but the same served site."""

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.parse
from pathlib import Path

from .conftest import _free_port, granian_serve
from .test_campaigns import _campaign_id

SIGNERS = 24


def _workers(server_pid: int) -> list[int]:
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children").read_text().split()
    return [int(pid) for pid in children]


def test_a_worker_killed_mid_burst_loses_no_acknowledged_signature(site_env):
    env = {**site_env, "TASKS_BACKEND": "database", "RATE_LIMITS_ENABLED": "0", "CAMPAIGNS_GROUP_COMMIT": "1"}
    port = _free_port()
    server = granian_serve(
        env,
        port,
        "--blocking-threads",
        "8",
        "--respawn-failed-workers",
        "--respawn-interval",
        "0.5",
        "--workers-kill-timeout",
        "10",
        "--log-level",
        "error",
    )
    sign_path = f"/en/campaigns/{_campaign_id(f'http://127.0.0.1:{port}')}/sign/"
    acknowledged: list[str] = []
    dropped: list[str] = []
    stop = threading.Event()

    def sign(signer: int) -> None:
        attempt = 0
        while not stop.is_set():
            attempt += 1
            email = f"crash-{signer}-{attempt}@example.org"
            body = urllib.parse.urlencode({"name": f"Crash {signer}", "email": email, "country": "KE"})
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            try:
                connection.request(
                    "POST", sign_path, body, {"Content-Type": "application/x-www-form-urlencoded"}
                )
                response = connection.getresponse()
                response.read()
                (acknowledged if response.status == 302 else dropped).append(email)
            except OSError:  # the killed worker's connections are reset: no answer, no promise
                dropped.append(email)
            finally:
                connection.close()

    try:
        workers = _workers(server.pid)
        assert len(workers) == 2
        threads = [threading.Thread(target=sign, args=(n,)) for n in range(SIGNERS)]
        for thread in threads:
            thread.start()
        time.sleep(2)
        acknowledged_before_kill = len(acknowledged)
        os.kill(workers[0], signal.SIGKILL)
        # The burst goes on until the replacement worker has answered for a while.
        deadline = time.monotonic() + 60
        while not (set(_workers(server.pid)) - set(workers)) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(3)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            raise

    assert acknowledged_before_kill > 0, "the burst had not started when the worker was killed"
    assert len(acknowledged) > acknowledged_before_kill, "signing did not go on after the kill"
    database = sqlite3.connect(Path(site_env["HW4ALL_VAR_DIR"]) / "db.sqlite3")
    stored = dict(
        database.execute(
            "SELECT email_normalised, id FROM campaigns_signature WHERE email_normalised LIKE 'crash-%'"
        ).fetchall()
    )
    queued = {
        json.loads(args_kwargs)["kwargs"]["signature_id"]
        for (args_kwargs,) in database.execute(
            "SELECT args_kwargs FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
            ("hw4all.campaigns.tasks.signature_confirmation_send",),
        )
    }
    database.close()
    missing = [email for email in acknowledged if email not in stored]
    assert missing == [], f"{len(missing)} acknowledged signatures are not in the database"
    unqueued = [email for email in acknowledged if stored[email] not in queued]
    assert unqueued == [], f"{len(unqueued)} acknowledged signatures have no confirmation task"
