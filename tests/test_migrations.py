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


def flask(*args: str, database_url: str, run_dir: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=database_url, INSTANCE_PATH=str(run_dir / "instance"))
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_upgrade_then_models_match_and_downgrade(empty_database_url, run_dir):
    upgrade = flask("db", "upgrade", database_url=empty_database_url, run_dir=run_dir)
    assert upgrade.returncode == 0, upgrade.stderr
    check = flask("db", "check", database_url=empty_database_url, run_dir=run_dir)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    seed = flask("seed-demo", database_url=empty_database_url, run_dir=run_dir)
    assert seed.returncode == 0 and "18 new OPDs" in seed.stdout, seed.stderr
    again = flask("seed-demo", database_url=empty_database_url, run_dir=run_dir)
    assert again.returncode == 0 and "0 new OPDs, 0 new categories" in again.stdout
    downgrade = flask("db", "downgrade", "base", database_url=empty_database_url, run_dir=run_dir)
    assert downgrade.returncode == 0, downgrade.stderr
