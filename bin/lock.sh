#!/usr/bin/env bash
# The hashed locks: every package, transitive ones too, pinned with the hashes of its files.
#
#   bin/lock.sh          recompile requirements.lock, requirements-test.lock and
#                        requirements-tools.lock (the installer, uv) from their top-level lists
#                        requirements*.txt (`make lock`)
#   bin/lock.sh --check  fail when a top-level pin is missing from its lock (`make lint` runs it,
#                        so a changed requirements*.txt without `make lock` fails CI)
#
# `make run` and `make test` install only from the locks (uv's `pip install --require-hashes`;
# pip installs uv from its own lock).
# The test lock is compiled first, then the runtime lock with the test lock's versions as
# preferences, so a package in both locks has one version.
set -euo pipefail
cd "$(dirname "$0")/.."

check() {
  python3 - <<'PY'
import re, sys

def pins(path):
    """name -> version of each `name==version` line (and of included files), names as PEP 503."""
    found = {}
    for line in open(path):
        if line.startswith("-r "):  # requirements-test.txt includes requirements.txt
            found.update(pins(line.split()[1]))
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^]]*\])?==([^\s;\\]+)", line)
        if match:
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[3]
    return found

status = 0
for requirements in ("requirements.txt", "requirements-test.txt", "requirements-tools.txt"):
    lock = requirements.replace(".txt", ".lock")
    locked = pins(lock)
    for name, version in pins(requirements).items():
        if locked.get(name) != version:
            print(f"lock: {name}=={version} (in {requirements}) is not in {lock}: run make lock")
            status = 1
if not status:
    print("lock: requirements.lock, requirements-test.lock and requirements-tools.lock hold every top-level pin")
sys.exit(status)
PY
}

if [ "${1:-}" = "--check" ]; then check; exit $?; fi

export CUSTOM_COMPILE_COMMAND="make lock"
compile=(.venv/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras
         --no-emit-index-url --no-emit-find-links)
"${compile[@]}" -o requirements-test.lock requirements-test.txt
cp requirements-test.lock requirements.lock   # preferences: the same versions as the test lock
"${compile[@]}" -o requirements.lock requirements.txt
"${compile[@]}" -o requirements-tools.lock requirements-tools.txt
check
