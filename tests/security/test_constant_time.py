"""Secrets are compared in constant time: no `==`/`!=` between two values that look like a
secret, token, signature or hash anywhere in the application code (`hmac.compare_digest`,
werkzeug's check_password_hash, itsdangerous and Twilio's validator compare safely)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
SECRETISH = re.compile(r"(secret|token|signature|digest|_hash|hash_|password|api_key|hmac)", re.I)
# Compared with a secret-looking name but public by nature (versions are counters; a boundary's
# digest is a fingerprint of a city's published outline).
ALLOWED = {"token_version", "token_type", "verify_token_mode", "boundary_digest"}


def _name(node) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Call):
        return _name(node.func)
    if isinstance(node, ast.Subscript):
        return _name(node.value)
    return ""


def suspicious_comparisons() -> list[str]:
    found = []
    for path in sorted([*PROJECT.glob("ticketing/**/*.py"), *PROJECT.glob("workers/*.py")]):
        tree = ast.parse(path.read_text(), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Compare):
                continue
            for op, left, right in zip(
                node.ops, [node.left, *node.comparators], node.comparators, strict=False
            ):
                if not isinstance(op, (ast.Eq, ast.NotEq)):
                    continue
                sides = [left, right]
                # A literal or None on one side is a public value, not a secret.
                if any(isinstance(side, ast.Constant) for side in sides):
                    continue
                # `Model.column == value` builds SQL: a lookup by the SHA-256 of a random key
                # (api_keys.py) reveals nothing by its timing; the match is then re-checked.
                if any(
                    isinstance(side, ast.Attribute)
                    and isinstance(side.value, ast.Name)
                    and side.value.id[:1].isupper()
                    for side in sides
                ):
                    continue
                names = [_name(side) for side in sides]
                if any(SECRETISH.search(n) and n not in ALLOWED for n in names):
                    found.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_secret_is_compared_with_equals():
    assert suspicious_comparisons() == []


def test_the_known_secret_checks_use_compare_digest():
    sources = {
        name: (PROJECT / name).read_text()
        for name in (
            "ticketing/channels/views.py",
            "ticketing/services/intake.py",
            "ticketing/services/api_keys.py",
            "ticketing/metrics/views.py",
        )
    }
    for name, source in sources.items():
        assert "hmac.compare_digest" in source, name
    # Twilio's validator and itsdangerous compare in constant time themselves.
    import inspect

    import itsdangerous.signer
    from twilio.request_validator import RequestValidator

    assert "compare_digest" in inspect.getsource(itsdangerous.signer)
    assert "compare(" in inspect.getsource(RequestValidator.validate)
