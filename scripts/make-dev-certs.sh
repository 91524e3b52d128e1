#!/usr/bin/env bash
# Make a development PKI for quiverd's TLS and mTLS with openssl. NOT for production.
#
#   scripts/make-dev-certs.sh [OUT_DIR] [CLIENT_NAME]     (default: ./dev-certs, client)
#
# Writes into OUT_DIR (keys mode 0600):
#   ca.pem, ca.key                     development CA
#   server.pem, server.key             server certificate for localhost, 127.0.0.1, ::1
#   client.pem, client.key             client certificate, CN=CLIENT_NAME (mTLS)
#   other-ca.pem, other-ca.key         an unrelated CA, for "wrong CA" checks...
#   other-server.pem/.key, other-client.pem/.key   ...and certificates it signed
#   expired-server.pem/.key, expired-client.pem/.key   signed by ca.pem, expired in 2020
#
# Run quiverd with TLS:   quiverd --tls-cert OUT/server.pem --tls-key OUT/server.key
# ...and mTLS:            add --tls-client-ca OUT/ca.pem
# Clients trust OUT/ca.pem (pyarrow: FlightClient(..., tls_root_certs=...)).
set -euo pipefail

out=${1:-dev-certs}
client_name=${2:-client}
days=825
mkdir -p "$out"
umask 077
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

make_ca() {  # name subject
  newkey "$out/$1.key"
  openssl req -x509 -new -key "$out/$1.key" -sha256 -days "$days" -subj "$2" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$out/$1.pem"
}

# ext_server / ext_client: extensions of the leaf certificates.
cat >"$work/ext.cnf" <<'CNF'
[server]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1
[client]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
CNF

make_leaf() {  # name ca kind subject
  newkey "$out/$1.key"
  openssl req -new -key "$out/$1.key" -subj "$4" -out "$work/$1.csr"
  openssl x509 -req -in "$work/$1.csr" -CA "$out/$2.pem" -CAkey "$out/$2.key" \
    -CAcreateserial -CAserial "$work/$2.srl" -sha256 -days "$days" \
    -extfile "$work/ext.cnf" -extensions "$3" -out "$out/$1.pem" 2>/dev/null
}

# An expired leaf needs dates in the past, which only 'openssl ca' can set.
make_expired_leaf() {  # name kind subject
  local db="$work/ca-db"
  mkdir -p "$db/new"
  : >"$db/index.txt"
  [ -f "$db/serial" ] || echo 1000 >"$db/serial"
  cat >"$work/ca.cnf" <<CNF
[ca]
default_ca = dev
[dev]
dir = $db
database = $db/index.txt
new_certs_dir = $db/new
serial = $db/serial
default_md = sha256
policy = anything
unique_subject = no
[anything]
commonName = supplied
CNF
  cat "$work/ext.cnf" >>"$work/ca.cnf"
  newkey "$out/$1.key"
  openssl req -new -key "$out/$1.key" -subj "$3" -out "$work/$1.csr"
  openssl ca -batch -config "$work/ca.cnf" -cert "$out/ca.pem" -keyfile "$out/ca.key" \
    -extensions "$2" -startdate 20200101000000Z -enddate 20200201000000Z \
    -in "$work/$1.csr" -out "$out/$1.pem" -notext 2>/dev/null
}

make_ca ca "/O=quiver development/CN=quiver dev CA"
make_leaf server ca server "/O=quiver development/CN=localhost"
make_leaf client ca client "/O=quiver development/CN=$client_name"
make_ca other-ca "/O=somebody else/CN=unrelated CA"
make_leaf other-server other-ca server "/O=somebody else/CN=localhost"
make_leaf other-client other-ca client "/O=somebody else/CN=$client_name"
make_expired_leaf expired-server server "/O=quiver development/CN=localhost"
make_expired_leaf expired-client client "/O=quiver development/CN=$client_name"

chmod 600 "$out"/*.key
chmod 644 "$out"/*.pem
echo "make-dev-certs: development certificates in $out (CA: $out/ca.pem)"
