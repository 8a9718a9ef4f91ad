"""Each region's router (issue #16): a complaint is routed within its own region's categories.

- The default region (`DEFAULT_REGION`, Kota Kediri in the demo) keeps the router it always had
  (services/routing.get_router: the model file, its seeds, its retraining).
- Another region's model is trained from its category table in the database (router/regions.py:
  a city from the same seeds relabelled into its table, a province from its own examples), saved
  beside the default model as `router.<region>.joblib`, and retrained when its categories
  change; `retrain-router` retrains it on the region's own history too (services/retraining.py).
- Every region's router carries the authority rules (router/authority.py): its own route to its
  agencies, and those of the regions above it propose a transfer, but only to an agency that
  region really has (a single-city deployment has no provincial OPDs, so nothing changes there).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ticketing.extensions import db
from ticketing.models import Category, Region
from ticketing.router.authority import RegionRouter, load_authority
from ticketing.router.categories import is_emergency
from ticketing.router.regions import region_table, train_region_router
from ticketing.services.regions import child_region_codes, default_region_code, find_opd

log = logging.getLogger(__name__)

_models: dict[str, tuple[object, tuple | None, float]] = {}  # region -> (Router, file stamp, checked)
_lock = threading.Lock()
_warming: set[str] = set()  # regions whose router a warm-up thread is loading now
_warming_lock = threading.Lock()  # never held while loading: a page view must not wait on it


def ancestors(region_code: str) -> tuple[str, ...]:
    """The regions above `region_code`, nearest first (a city's province)."""
    found: list[str] = []
    code = region_code
    while code and len(found) < 8:
        parent = db.session.scalar(select(Region.parent_code).where(Region.code == code))
        if not parent or parent in found:
            break
        found.append(parent)
        code = parent
    return tuple(found)


def region_categories(region_code: str) -> dict[str, str | None]:
    """The region's active categories and their OPDs, as the router's table."""
    rows = db.session.execute(
        select(Category.code, Category.default_opd_code).where(
            Category.region_code == region_code, Category.active.is_(True)
        )
    ).all()
    return {code: opd for code, opd in rows}


def region_emergencies(region_code: str) -> set[str]:
    rows = db.session.execute(
        select(Category.code, Category.sla_hours, Category.sla_24x7).where(
            Category.region_code == region_code
        )
    ).all()
    return {code for code, hours, round_the_clock in rows if is_emergency(hours, round_the_clock)}


def model_path(region_code: str, base: str | None = None) -> str | None:
    """Where a region's model is kept: beside the default one (`base`, else the configured
    ROUTING_MODEL_PATH), named by the region."""
    base = base or current_app.config.get("ROUTING_MODEL_PATH")

    if not base:
        return None
    path = Path(base)
    return str(path.with_name(f"{path.stem}.{region_code}{path.suffix}"))


def _stamp(path: str | None) -> tuple | None:
    try:
        stat = Path(path).stat() if path else None
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size) if stat else None


def train_region_model(region_code: str, history=(), version: str | None = None):
    """A fresh model for a region other than the default, from its table in the database."""
    return train_region_router(
        region_code,
        region_categories(region_code),
        holds_authority=bool(child_region_codes(region_code)),
        emergency=region_emergencies(region_code),
        history=history,
        version=version or f"router-{region_code}-seeds",
    )


def _fits(model, region_code: str):
    """The model with the region's current table, or None when its categories changed (retrain)."""
    table = region_table(region_categories(region_code))
    if set(model.categories) != set(table):
        return None
    return model if model.categories == table else model.with_categories(table)


def region_model(region_code: str, *, train: bool = True):
    """The model of `region_code`'s categories, loaded once per process and checked again at
    most every ROUTING_MODEL_CHECK_SECONDS (a retrained file, a changed category table). With
    `train=False`, None instead of training one (a web request never trains: seconds of CPU)."""
    from ticketing.services.routing import get_router

    if region_code == default_region_code():
        return get_router()
    now = time.monotonic()
    cached = _models.get(region_code)
    interval = current_app.config.get("ROUTING_MODEL_CHECK_SECONDS", 60)
    if cached is not None and now - cached[2] < interval:
        return cached[0]
    with _lock:
        path = model_path(region_code)
        stamp = _stamp(path)
        model = cached[0] if cached is not None and cached[1] == stamp else None
        if model is None and stamp is not None:
            import joblib

            payload = joblib.load(path)
            model = payload["router"] if isinstance(payload, dict) else payload
        fitted = _fits(model, region_code) if model is not None else None
        if fitted is None and not train:
            return None
        if fitted is None:
            started = time.perf_counter()
            fitted = train_region_model(region_code)
            log.info("router of region %s trained in %.1fs", region_code, time.perf_counter() - started)
            if path:
                try:
                    fitted.save(path)
                    stamp = _stamp(path)
                except OSError as exc:  # a read-only deployment still routes; it retrains per process
                    log.warning("could not save the router of region %s: %s", region_code, exc)
        _models[region_code] = (fitted, stamp, now)
        return fitted


def reset_region_models() -> None:
    with _lock:
        _models.clear()


def _agency_exists(region_code: str, opd_code: str) -> bool:
    opd = find_opd(region_code, opd_code)
    return opd is not None and opd.active


def router_for(region_code: str | None) -> RegionRouter:
    """The router tickets of `region_code` meet: its model and the authority rules it applies."""
    region_code = region_code or default_region_code()
    holders = ancestors(region_code)
    authority = tuple(
        rule
        for rule in load_authority()
        if rule.region in (region_code, *holders) and _agency_exists(rule.region, rule.opd)
    )
    return RegionRouter(region_model(region_code), region_code, holders, authority)


def ready_router(region_code: str | None) -> RegionRouter | None:
    """`router_for(region_code)` when its model is ready (loaded, or saved by the worker and
    fitting the region's categories); None rather than training one inside a web request."""
    region_code = region_code or default_region_code()
    if region_code == default_region_code():
        path = current_app.config.get("ROUTING_MODEL_PATH")
        if not path or not Path(path).exists():
            return None
    elif region_model(region_code, train=False) is None:
        return None
    return router_for(region_code)


def prepare_region_routers() -> list[str]:
    """Train and save the router of every region other than the default that has categories of
    its own, where no saved model fits them (the default region's is the worker's, at start), so
    a city's form hints from the first visit and the worker routes there without training first.
    `seed-demo` runs it after seeding the province; seconds of CPU, once."""
    codes = db.session.scalars(select(Category.region_code).where(Category.active.is_(True)).distinct())
    prepared = sorted(set(codes) - {default_region_code()})
    for code in prepared:
        region_model(code)  # a fitting saved model is only loaded
    return prepared


def router_loaded(region_code: str | None) -> bool:
    """Whether this process already holds the model of `region_code` (no file read, no DB)."""
    from ticketing.services.routing import default_router_loaded

    region_code = region_code or default_region_code()
    if region_code == default_region_code():
        return default_router_loaded()
    return region_code in _models


def warm_router_in_background(region_code: str | None = None) -> None:
    """Load the region's router behind a page that guesses (the complaint form, the console's
    intake) while the person is still typing, so the first guess does not wait for it: loading
    costs about a second of imports and unpickling (many on a busy box), once per process. A
    thread (a greenlet in the gevent web worker); `ready_router` never trains, so a region
    without a saved model simply stays without one."""
    region_code = region_code or default_region_code()
    with _warming_lock:
        if region_code in _warming or router_loaded(region_code):
            return  # loaded, or loading: a burst of page views starts one load, not one each
        _warming.add(region_code)
    app = current_app._get_current_object()

    def load() -> None:
        try:
            with app.app_context():
                ready_router(region_code)
        finally:
            with _warming_lock:
                _warming.discard(region_code)

    threading.Thread(target=load, name=f"router-warm-up-{region_code}", daemon=True).start()


def default_region_router(router) -> RegionRouter:
    """`router` as the default region's tickets would meet it in a province (routing-eval): every
    other region's authority rules apply, whatever this database holds."""
    code = default_region_code()
    holders = tuple(sorted({rule.region for rule in load_authority()} - {code}))
    return RegionRouter(router, code, holders)
