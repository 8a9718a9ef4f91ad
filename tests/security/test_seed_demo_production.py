"""Issue 13 item 10: `flask --app wsgi seed-demo --demo-users` creates logins whose passwords
`make run` prints and the README lists; run on a production server by mistake, they were
everybody's admin account. With `ADUAN_ENV=production` the command refuses (non-zero exit,
nothing created); without `--demo-users` it still seeds the city. The real `flask` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

FLASK = str(Path(sys.executable).parent / "flask")


def run_flask(process_env: dict, *args: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FLASK, "--app", "wsgi", *args],
        env=dict(process_env, **settings),
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
    )


def user_count(app) -> int:
    from ticketing.extensions import db
    from ticketing.models import User

    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(User))
        db.session.rollback()
        return count


def test_demo_users_are_refused_in_production(app, clean_state, process_env):
    refused = run_flask(process_env, "seed-demo", "--demo-users", ADUAN_ENV="production")
    assert refused.returncode != 0
    assert "ADUAN_ENV=production" in refused.stderr and "create-user" in refused.stderr
    assert user_count(app) == 0

    city_only = run_flask(process_env, "seed-demo", ADUAN_ENV="production")
    assert city_only.returncode == 0, city_only.stderr
    assert user_count(app) == 0


def test_demo_users_are_created_outside_production(app, clean_state, process_env):
    created = run_flask(process_env, "seed-demo", "--demo-users", ADUAN_ENV="development")
    assert created.returncode == 0, created.stderr
    assert "demo users ready" in created.stdout
    assert user_count(app) > 0
