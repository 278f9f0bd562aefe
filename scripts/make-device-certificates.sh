#!/usr/bin/env bash
# Makes the synthetic Entra device certificates of fixtures/device-chain/mac/
# (DER): a CA named like Entra's (CN=MS-Organization-Access) signs one
# certificate per device, with Microsoft's extensions (device, user and
# tenant IDs in Windows byte order, join type, region) and chosen validity.
# Run once; the certificates are committed. Needs openssl.
set -euo pipefail
out=${1:-fixtures/device-chain/mac}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir db
: > db/index.txt
echo 1000 > db/serial

# A GUID in the byte order of a Windows GUID structure, as openssl DER hex.
windows_bytes() {
    local h=${1//-/}
    local b=("${h:6:2}" "${h:4:2}" "${h:2:2}" "${h:0:2}" "${h:10:2}" "${h:8:2}" "${h:14:2}" "${h:12:2}")
    for ((i = 16; i < 32; i += 2)); do b+=("${h:i:2}"); done
    local IFS=:
    echo "${b[*]}"
}

openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 7300 \
    -subj "/DC=net/DC=windows/CN=MS-Organization-Access/OU=82dbaca4-3e81-46ca-9c73-0950c1eaca97" 2>/dev/null

# A certificate of another issuer, as login keychains hold many.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.key \
    -out other.pem -days 3650 -subj "/CN=Apple Development: Jane Doe (ABCDE12345)" 2>/dev/null
openssl x509 -in other.pem -outform DER -out "$OLDPWD/$out/other-issuer.der"

tenant=afb714de-f42c-41f2-802f-65b2911dd346
user=fa417c32-4128-4c35-87a7-8b2930fd4b5d

# name device-id not-before not-after (YYYYMMDDhhmmssZ) [tenant-id]
while read -r name device start end device_tenant; do
    device_tenant=${device_tenant:-$tenant}
    cat > ext.cnf <<CNF
[ext]
basicConstraints = critical, CA:FALSE
extendedKeyUsage = critical, clientAuth
keyUsage = critical, digitalSignature
1.2.840.113556.1.5.284.2 = DER:04:10:$(windows_bytes "$device")
1.2.840.113556.1.5.284.3 = DER:04:10:$(windows_bytes "$user")
1.2.840.113556.1.5.284.5 = DER:04:10:$(windows_bytes "$device_tenant")
1.2.840.113556.1.5.284.8 = DER:04:02:4e:41
1.2.840.113556.1.5.284.7 = DER:04:01:30
CNF
    cat > ca.cnf <<CNF
[ca]
default_ca = local
[local]
database = db/index.txt
serial = db/serial
new_certs_dir = .
default_md = sha256
policy = anything
unique_subject = no
copy_extensions = none
[anything]
commonName = supplied
CNF
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$name.key" \
        -out "$name.csr" -subj "/CN=$device" 2>/dev/null
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in "$name.csr" \
        -out "$name.pem" -startdate "$start" -enddate "$end" -extfile ext.cnf \
        -extensions ext -notext 2>/dev/null
    openssl x509 -in "$name.pem" -outform DER -out "$OLDPWD/$out/$name.der"
done <<LIST
registered-2026-01 0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f 20260110090000Z 20360110090000Z
registered-2026-09 7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b 20260901090000Z 20360901090000Z
expiring-2026-12 5a7b9c1d-3e4f-4a6b-8c9d-0e1f2a3b4c5d 20251205090000Z 20261205090000Z
expired-2026-11 6b8c0d2e-4f5a-4b7c-9d0e-1f2a3b4c5d6e 20251101090000Z 20261101090000Z
valid-to-2027-01 8d9e1f3a-5b6c-4d8e-a0f1-2b3c4d5e6f7a 20260115090000Z 20270115090000Z
client-tenant-2026-10 4f3e2d1c-0b9a-4876-a543-210fedcba987 20261001090000Z 20361001090000Z c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8
LIST
