#!/usr/bin/env bash
# Makes the test app registration's certificate for the fetch tests: an
# RSA key, its self-signed certificate (as Entra ID takes for an app), and
# the same pair as PKCS#12 files, modern (AES) and legacy (3DES and RC2, as
# Keychain Access writes them). Test material only: it signs nothing real.
set -euo pipefail
out="${1:-fixtures/fetch}"
mkdir -p "$out"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 \
  -subj "/CN=ca-doctor test app" \
  -keyout "$out/app-key.pem" -out "$out/app-certificate.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$out/app-key.pem" -in "$out/app-certificate.pem" \
  -passout pass:test-password -out "$out/app.p12"
openssl pkcs12 -export -legacy -inkey "$out/app-key.pem" -in "$out/app-certificate.pem" \
  -passout pass:test-password -out "$out/app-legacy.p12"
openssl rsa -in "$out/app-key.pem" -traditional -out "$out/app-key-pkcs1.pem" 2>/dev/null
chmod 600 "$out"/app-key.pem "$out"/app-key-pkcs1.pem "$out"/*.p12
# A certificate of another key: a pair that does not belong together.
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=another app" \
  -keyout /dev/null -out "$out/other-certificate.pem" 2>/dev/null
