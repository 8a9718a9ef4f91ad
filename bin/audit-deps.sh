#!/usr/bin/env bash
# Audit requirements.lock (every runtime package, transitive ones too) for known vulnerabilities
# with pip-audit.
#
# Exit codes: 0 clean (every pin audited, none vulnerable); 1 a known vulnerability;
# 3 could not audit (no vulnerability service reachable, or it does not know the pins) — a
# machine that only reaches a PyPI mirror ends here, and says so rather than passing silently.
#
# PIP_AUDIT_SERVICE=pypi|osv (default pypi: PyPI's own JSON API, the one host a
# pip-installing machine reaches anyway); extra arguments go to pip-audit.
set -uo pipefail
cd "$(dirname "$0")/.."
py=.venv/bin/python
service="${PIP_AUDIT_SERVICE:-pypi}"
report=$(mktemp)
trap 'rm -f "$report"' EXIT

# The lock is complete and hashed, so nothing is resolved or installed (no throwaway venv).
$py -m pip_audit -r requirements.lock --disable-pip --vulnerability-service "$service" \
    --progress-spinner off --format json --output "$report" "$@" 2>/dev/null
status=$?

$py - "$report" "$status" "$service" <<'PY'
import json, sys

path, status, service = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    report = json.load(open(path))
except (OSError, ValueError):
    print(f"audit-deps: pip-audit produced no report (exit {status}); {service} unreachable?")
    sys.exit(3)
deps = report.get("dependencies", [])
vulnerable = [(d["name"], d["version"], v["id"], ", ".join(v.get("fix_versions", [])) or "none")
              for d in deps for v in d.get("vulns", [])]
skipped = [(d["name"], d.get("skip_reason", "")) for d in deps if "skip_reason" in d]
audited = len(deps) - len(skipped)
for name, version, vid, fixes in vulnerable:
    print(f"VULNERABLE {name} {version}: {vid} (fixed in: {fixes})")
if vulnerable:
    sys.exit(1)
if skipped:
    print(f"audit-deps: NOT AUDITED {len(skipped)} of {len(deps)} pins via {service} "
          f"(first: {skipped[0][0]}: {skipped[0][1]})")
    sys.exit(3)
print(f"audit-deps: {audited} pins audited via {service}, no known vulnerabilities")
PY
