"""A web process does not load, at start, libraries only some requests need (issue 23: ≤ 100 MiB
per web process): OIDC's client stack, the PostgreSQL queue's driver, the SMTP client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEAVY = ["authlib", "joserfc", "cryptography", "httpx2", "procrastinate", "psycopg", "aiosmtplib",
         "prometheus_client", "segno", "feedgen", "lxml", "icalendar"]

SCRIPT = """
import json, sys
from tisserand.site import Site
from tisserand.web.app import create_app
from tisserand.jobs.pg import ProcrastinateQueue

site = Site.load(sys.argv[1])
create_app(site)
ProcrastinateQueue(site)  # what a PostgreSQL site's web process makes at start
print(json.dumps(sorted(name for name in json.loads(sys.argv[2]) if name in sys.modules)))
"""


def test_a_web_app_with_every_plugin_starts_without_the_heavy_libraries(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "tisserand.toml").write_text(
        '[site]\nsecret_key = "test-secret-key-0123456789abcdef"\n[mail]\nbackend = "smtp"\n'
        '[plugins]\nenabled = ["forums", "wiki", "meetups", "moderation", "digests", "archive"]\n')
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path), json.dumps(HEAVY)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
