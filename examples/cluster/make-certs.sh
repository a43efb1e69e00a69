#!/usr/bin/env bash
# Makes what mutual TLS between Weft nodes needs, with the openssl command:
#   make-certs.sh DIR ca                 a CA: DIR/ca.pem (share it) and DIR/ca.key (keep it safe)
#   make-certs.sh DIR node NAME HOST...  DIR/NAME.pem and DIR/NAME.key for a node,
#                                        signed by DIR/ca.*, naming each HOST
# A HOST is an address (127.0.0.1, ::1) or a DNS name, as it stands in node
# names (a@HOST:PORT): a node's certificate must name the host of its name.
# IP:x or DNS:x is taken as written.
# Keys are EC P-256, mode 0600. Then, on each node:
#   weft node --name a@HOST:7001 --tls-cert DIR/a.pem --tls-key DIR/a.key --tls-ca DIR/ca.pem prog.weft
set -euo pipefail
usage() { echo "usage: $0 DIR ca | $0 DIR node NAME HOST..." >&2; exit 2; }
[[ $# -ge 2 ]] || usage
dir=$1 what=$2
mkdir -p "$dir"
umask 077  # the keys: readable by their owner only

case $what in
ca)
  openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
    -subj "/CN=Weft cluster CA" -keyout "$dir/ca.key" -out "$dir/ca.pem" 2>/dev/null
  chmod 644 "$dir/ca.pem"
  ;;
node)
  [[ $# -ge 4 ]] || usage
  name=$3; shift 3
  names=()
  for host in "$@"; do
    if [[ $host == IP:* || $host == DNS:* ]]; then names+=("$host")  # as given
    elif [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then names+=("IP:${host//[\[\]]/}")
    else names+=("DNS:$host"); fi
  done
  san=$(IFS=,; echo "${names[*]}")
  openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -subj "/CN=$name" -keyout "$dir/$name.key" -out "$dir/$name.csr" 2>/dev/null
  # Both serverAuth and clientAuth: a node both dials and accepts.
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -days 825 -out "$dir/$name.pem" 2>/dev/null -extfile <(printf '%s\n' \
      "subjectAltName=$san" "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
      "extendedKeyUsage=serverAuth,clientAuth")
  rm -f "$dir/$name.csr"
  chmod 644 "$dir/$name.pem"
  ;;
*) usage ;;
esac
