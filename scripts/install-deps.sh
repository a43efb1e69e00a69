#!/usr/bin/env bash
# Installs the Debian packages Weft needs to build, test and benchmark.
# Idempotent: installs only what is missing and prints nothing when all is there.
# Usage: scripts/install-deps.sh [--bench]   (--bench adds the peer runtimes)
set -euo pipefail

build_pkgs=(
  cmake make g++ clang pkg-config
  libboost-fiber-dev libboost-context-dev
  libcapnp-dev capnproto
  libasio-dev libssl-dev openssl libgmp-dev   # openssl: the TLS tests make their CA with it
  libpcre2-dev libsimdjson-dev               # the re and json modules
  libedit-dev                                # weft repl's line editing, history and completion
  libgtest-dev libgmock-dev libbenchmark-dev libcli11-dev
  libboost1.74-dev nlohmann-json3-dev   # the web observer: Boost.Beast parses HTTP; samples are JSON
  chromium            # the web observer's end-to-end test renders its page headless
  librsvg2-bin        # rsvg-convert: `weft trace -o X.png` draws its SVG as a PNG with it
  iproute2 iptables   # the cluster tests' network namespaces, partitions and packet loss
  procps              # pgrep, for the test that a child process dies with its actor
)
bench_pkgs=(erlang-base erlang-ssl lua5.4 python3)   # erlang-ssl: the TLS distribution peer

want=("${build_pkgs[@]}")
if [[ "${1:-}" == "--bench" ]]; then want+=("${bench_pkgs[@]}"); fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "install-deps: installing ${missing[*]}"
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "install-deps: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
# Refresh the package lists only when a first install attempt cannot find a package.
if ! $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >/tmp/weft-install-deps.log 2>&1; then
  $sudo apt-get update -q >>/tmp/weft-install-deps.log 2>&1
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >>/tmp/weft-install-deps.log 2>&1 || {
    echo "install-deps: apt-get failed; see /tmp/weft-install-deps.log" >&2
    tail -20 /tmp/weft-install-deps.log >&2; exit 1; }
fi
