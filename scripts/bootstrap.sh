#!/usr/bin/env bash
# Install what quiver needs and is missing, and nothing else:
#   - Debian packages (apt-get, skipped when already installed); with --fuzz also
#     clang and libFuzzer for scripts/fuzz.sh
#   - .venv/ with the pinned pyarrow wheel (Arrow C++ libraries and headers)
#     and the test-only Python packages from requirements-dev.txt
# Safe to run again: it only acts on what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  g++ make cmake ninja-build pkg-config git
  libgtest-dev libgmock-dev
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libsodium-dev libcurl4-openssl-dev
  libcpp-httplib-dev
  clang-format openssl
  python3 python3-venv python3-dev
)
# Only for scripts/fuzz.sh (libFuzzer comes with clang's runtime libraries).
if [ "${1:-}" = "--fuzz" ]; then
  APT_PACKAGES+=(clang-16 libclang-rt-16-dev)
fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "bootstrap: Python >= 3.11 is required for the pinned pyarrow wheel" >&2
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.quiver-requirements
want=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: installing Python packages into .venv"
  .venv/bin/pip install -q --disable-pip-version-check --only-binary=:all: -r requirements-dev.txt
  echo "$want" >"$stamp"
fi
