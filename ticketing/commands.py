"""Flask CLI commands (API.md §1)."""

from __future__ import annotations

import csv
import sys

import click
from flask import Flask

from ticketing.commands_channels import register_channel_commands
from ticketing.commands_external import register_external_commands
from ticketing.commands_open311 import register_open311_commands
from ticketing.commands_ppid import register_ppid_commands
from ticketing.errors import APIError
from ticketing.roles import ADMIN, ATASAN_PPID, OFFICER, OPERATOR, PPID, ROLES, WALL
from ticketing.services.accounts import create_user
from ticketing.services.administration import create_or_reset_user
from ticketing.services.seeding import seed_demo_city_and_areas, seed_demo_province

# Local demo logins printed by `make run`; never created unless asked for.
# (username, password, role, OPD, region; None: DEFAULT_REGION, Kota Kediri in the demo).
DEMO_USERS = (
    ("admin", "admin12345", ADMIN, None, None),
    ("operator", "operator12345", OPERATOR, None, None),
    ("wall", "wall12345", WALL, None, None),
    ("pupr", "pupr12345", OFFICER, "PUPR", None),
    ("dlhkp", "dlhkp12345", OFFICER, "DLHKP", None),
    ("dishub", "dishub12345", OFFICER, "DISHUB", None),
    # Information requests (issue #17): Diskominfo's PPID is the city's PPID utama.
    ("ppid", "ppid12345", PPID, "DISKOMINFO", None),
    ("atasan-ppid", "atasanppid12345", ATASAN_PPID, None, None),
    # The demo province (config/demo_province.json): Kota Blitar and Provinsi Jawa Timur.
    ("blitar", "blitar12345", OPERATOR, None, "35.72"),
    ("blitar-pupr", "blitarpupr12345", OFFICER, "PUPR", "35.72"),
    ("jatim", "jatim12345", OPERATOR, None, "35"),
    ("jatim-dpubm", "jatimdpubm12345", OFFICER, "DPUBM", "35"),
)


def register_commands(app: Flask) -> None:
    register_open311_commands(app)  # Open311 API keys
    register_ppid_commands(app)  # the annual PPID report (issue #17)
    register_external_commands(app)  # outside bodies (issue #17)
    register_channel_commands(app)  # channel accounts: a number's region (issue #16)

    @app.cli.command("seed-demo")
    @click.option("--demo-users", is_flag=True, help="Also create the local demo logins.")
    def seed_demo(demo_users: bool) -> None:
        """Seed the demo city: OPDs, categories and SLA hours (idempotent)."""
        if demo_users and app.config.get("ADUAN_ENV") == "production":
            # The demo logins' passwords are printed by `make run` and written in the README:
            # on a real deployment they would be everybody's admin account.
            raise click.ClickException(
                "--demo-users refuses to run with ADUAN_ENV=production: the demo "
                "logins have published passwords. Create real accounts with "
                "`flask --app wsgi create-user`."
            )
        created = seed_demo_city_and_areas()
        click.echo(
            f"demo city seeded: {created['opds']} new OPDs, "
            f"{created['categories']} new categories, "
            f"{created['units']} new kecamatan/kelurahan offices"
        )
        province = seed_demo_province()
        click.echo(
            f"demo province seeded: {province['regions']} new regions, {province['opds']} new OPDs, "
            f"{province['categories']} new categories"
        )
        from ticketing.services.region_routing import prepare_region_routers  # scikit-learn: here only

        click.echo(f"routers ready for regions: {', '.join(prepare_region_routers()) or '-'}")
        if demo_users:
            for username, password, role, opd, region in DEMO_USERS:
                create_user(username=username, password=password, role=role, opd_code=opd, region_code=region)
            click.echo(f"demo users ready: {', '.join(u[0] for u in DEMO_USERS)}")

    @app.cli.command("create-user")
    @click.option("--username", required=True)
    @click.option("--password", required=True)
    @click.option("--role", required=True, type=click.Choice(ROLES))
    @click.option("--opd", "opd_code", default=None, help="OPD code (officers only), of the region.")
    @click.option("--region", "region_code", default=None, help="Region code (default DEFAULT_REGION).")
    def create_user_command(
        username: str, password: str, role: str, opd_code: str | None, region_code: str | None
    ) -> None:
        """Create a staff user, or reset an existing one's password and role (audited, through
        the same service as the console's user admin)."""
        try:
            user = create_or_reset_user(
                username=username,
                password=password,
                role=role,
                opd_code=opd_code,
                actor_label="cli:create-user",
                region_code=region_code,
            )
        except APIError as exc:
            fields = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.fields.items())
            raise click.ClickException(f"{exc.message} {fields}".strip()) from exc
        opd = f", {user.opd_code}" if user.opd_code else ""
        click.echo(f"user {user.username} ({user.role}, region {user.region_code}{opd}) ready")

    @app.cli.command("routing-eval")
    @click.argument("csv_file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--cv", "folds", type=int, default=None, help="K-fold cross-validation.")
    @click.option(
        "--train",
        "history_file",
        type=click.Path(exists=True, dir_okay=False),
        default=None,
        help="Labelled history (same columns; category may be empty): evaluate a fresh "
        "router trained on the seeds plus these rows, as retraining does.",
    )
    def routing_eval(csv_file: str, folds: int | None, history_file: str | None) -> None:
        """Route each row of a labelled CSV (id,channel,text,opd,category); store nothing."""
        run_routing_eval(csv_file, folds, history_file)

    @app.cli.command("retrain-router")
    @click.option(
        "--holdout",
        type=click.FloatRange(0.0, 0.5),
        default=0.2,
        show_default=True,
        help="Share of seeds and history held out to evaluate the new model.",
    )
    def retrain_router_command(holdout: float) -> None:
        """Train the router on the seed examples plus resolved/closed tickets; save it versioned."""
        from ticketing.services.retraining import retrain_router

        router = retrain_router(holdout=holdout)
        metrics = router.metrics
        click.echo(
            f"{router.version} seeds={metrics['seed_size']} history={metrics['history_size']} "
            f"overrides={metrics['overrides'] or '-'} threshold={router.threshold}"
        )
        evaluation = metrics.get("evaluation", {})
        if "accuracy" in evaluation:
            click.echo(
                f"held-out accuracy={evaluation['accuracy']:.3f} "
                f"auto_accuracy={evaluation['auto_accuracy']:.3f} "
                f"triage={evaluation['triage']:.3f} n={evaluation['n']}"
            )


def run_routing_eval(csv_file: str, folds: int | None, history_file: str | None) -> None:
    """`routing-eval`: the current model, K-fold CV, or a fresh router trained on the seeds plus a
    history (services.retraining.train_on_history, the path retraining takes)."""
    from ticketing.router import evaluate_rows, format_report
    from ticketing.services.region_routing import default_region_router
    from ticketing.services.retraining import history_from_rows, train_on_history
    from ticketing.services.routing import get_router

    rows = _labelled_rows(csv_file)
    history = history_from_rows(_labelled_rows(history_file)) if history_file else None
    if folds is not None and folds < 2:
        raise click.ClickException("--cv needs at least 2 folds")
    trainer = router = None
    if history is not None and folds:

        def trainer(fold_rows: list[dict]):
            return train_on_history(history + history_from_rows(fold_rows))[0]
    elif history is not None:
        router = train_on_history(history)[0]
    elif not folds:
        router = get_router()
    # Scored as tickets of the default region meet it: a provincial matter goes to triage.
    result = evaluate_rows(rows, router=router, cv=folds, trainer=trainer, wrap=default_region_router)
    sys.stdout.write(format_report(result).rstrip("\n") + "\n")


def _labelled_rows(path: str) -> list[dict]:
    """The rows of a labelled CSV (id,channel,text,opd,category), or a clear error."""
    try:
        with open(path, newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise click.ClickException(f"{path}: not a readable UTF-8 CSV ({exc})") from exc
    missing = {"text", "opd"} - set(rows[0].keys() if rows else [])
    if missing:
        raise click.ClickException(f"{path}: missing columns {', '.join(sorted(missing))}")
    return rows
