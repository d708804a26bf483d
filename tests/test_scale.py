"""The same stage code on Ray: a local 2-CPU Ray stores exactly what the local engine stores."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from detente.store import open_store


def _ingest(db, *extra, env):
    cmd = [sys.executable, "-m", "detente.cli", "ingest", str(EXAMPLES), "--db", str(db), "--workers", "2", "--quiet", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _events(db):
    with open_store(db, read_only=True) as store:
        return sorted(
            (r["event_id"], r["event_type"], str(r["event_date"]), r["factuality"], r["confidence"],
             tuple((a["country"], a["sector"]) for a in r["source"]), tuple((a["country"], a["sector"]) for a in r["target"]))
            for r in store.events()
        )


def _ray_processes() -> list[str]:
    out = subprocess.run(["ps", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if ("raylet" in line or "gcs_server" in line) and "ps -eo" not in line]


@pytest.mark.slow
def test_ray_engine_stores_the_same_events_as_the_local_engine(tmp_path):
    pytest.importorskip("ray")
    assert not _ray_processes(), "a Ray cluster is already running on this machine"
    # Ray's socket paths must stay under 107 bytes: a short folder of its own, removed afterwards.
    ray_tmp = Path(tempfile.mkdtemp(prefix="rt", dir="/tmp"))
    try:
        env = {**os.environ, "RAY_TMPDIR": str(ray_tmp), "RAY_USAGE_STATS_ENABLED": "0", "RAY_AUTH_MODE": "disabled",
               "RAY_ENABLE_UV_RUN_RUNTIME_ENV": "0"}
        _ingest(tmp_path / "local.duckdb", env=env)
        _ingest(tmp_path / "ray.duckdb", "--engine", "ray", env=env)
        local, on_ray = _events(tmp_path / "local.duckdb"), _events(tmp_path / "ray.duckdb")
        assert local and local == on_ray
        # Resuming on Ray adds nothing: the load is idempotent.
        _ingest(tmp_path / "ray.duckdb", "--engine", "ray", env=env)
        assert _events(tmp_path / "ray.duckdb") == on_ray
        assert not _ray_processes(), "Ray processes left behind"
    finally:
        shutil.rmtree(ray_tmp, ignore_errors=True)
