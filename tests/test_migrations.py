"""The Alembic migrations build exactly the schema the models describe, on this run's database."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]
FLASK = str(Path(sys.executable).parent / "flask")


@pytest.fixture
def empty_database_url(settings_env, run_dir):
    url = settings_env["DATABASE_URL"]
    if "postgresql" not in url:
        yield f"sqlite:///{run_dir / f'migrations-{uuid.uuid4().hex}.db'}"
        return
    import psycopg

    name = f"aduan_migrations_{uuid.uuid4().hex[:8]}"
    admin = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flask(*args: str, database_url: str, run_dir: Path, **settings: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url, INSTANCE_PATH=str(run_dir / "instance"), **settings)
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_upgrade_then_models_match_and_downgrade(empty_database_url, run_dir):
    upgrade = flask("db", "upgrade", database_url=empty_database_url, run_dir=run_dir)
    assert upgrade.returncode == 0, upgrade.stderr
    check = flask("db", "check", database_url=empty_database_url, run_dir=run_dir)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    # Seeding also trains the routers of the demo province's regions (the default city's is the
    # worker's), so their forms hint from the first visit; a second run only loads them.
    models = run_dir / f"models-{uuid.uuid4().hex[:8]}"
    routing = {"ROUTING_MODEL_PATH": str(models / "router.joblib")}
    seed = flask("seed-demo", database_url=empty_database_url, run_dir=run_dir, **routing)
    assert seed.returncode == 0 and "18 new OPDs" in seed.stdout, seed.stderr
    assert "routers ready for regions: 35, 35.72" in seed.stdout
    assert sorted(path.name for path in models.iterdir()) == ["router.35.72.joblib", "router.35.joblib"]
    saved = {path.name: path.stat().st_mtime_ns for path in models.iterdir()}
    again = flask("seed-demo", database_url=empty_database_url, run_dir=run_dir, **routing)
    assert again.returncode == 0 and "0 new OPDs, 0 new categories" in again.stdout
    assert {path.name: path.stat().st_mtime_ns for path in models.iterdir()} == saved
    downgrade = flask("db", "downgrade", "base", database_url=empty_database_url, run_dir=run_dir)
    assert downgrade.returncode == 0, downgrade.stderr
