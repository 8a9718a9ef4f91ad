"""The router trained from the seed examples, once per session: the model the session trained or
loaded for its workers (tests/conftest.py `router_model`, shared with the other shards of a run
and kept across runs while its inputs are unchanged), instead of a training per module."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def seed_router(router_model):
    """`train_router(load_seed_examples(), categories=load_category_opds())`, loaded from the file
    `load_router` saved after training exactly that."""
    from ticketing.router import load_router

    return load_router(router_model)
