#!/bin/sh
# Regenerates the TLS test fixtures (run from this directory: sh generate.sh). Valid for 100 years so the tests
# do not expire; nothing here protects anything real. Needs OpenSSL 3.
set -eu
DAYS=36500
ext() { printf '%s\n' "$1" > ext.tmp; }

# The CA that issues the server certificates and the accepted client certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days $DAYS -subj "/CN=Test CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
# A second CA, for a client certificate the server must refuse.
openssl req -x509 -newkey rsa:2048 -nodes -keyout other-ca.key -out other-ca.crt -days $DAYS -subj "/CN=Other CA" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"

# Server, RSA: the key as PKCS#8 (server.key) and as PKCS#1 (server-pkcs1.key).
ext "subjectAltName=DNS:localhost,IP:127.0.0.1
extendedKeyUsage=serverAuth"
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=localhost"
openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days $DAYS -extfile ext.tmp
openssl rsa -in server.key -traditional -out server-pkcs1.key

# Server, EC P-256: the key as SEC1 (server-ec.key, "BEGIN EC PRIVATE KEY") and as PKCS#8 (server-ec-pkcs8.key).
openssl ecparam -name prime256v1 -genkey -noout -out server-ec.key
openssl pkcs8 -topk8 -nocrypt -in server-ec.key -out server-ec-pkcs8.key
openssl req -new -key server-ec.key -out server-ec.csr -subj "/CN=localhost"
openssl x509 -req -in server-ec.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server-ec.crt -days $DAYS -extfile ext.tmp

# Server, Ed25519: the key as PKCS#8 (the only PEM form OpenSSL writes for it).
openssl genpkey -algorithm ed25519 -out server-ed25519.key
openssl req -new -key server-ed25519.key -out server-ed25519.csr -subj "/CN=localhost"
openssl x509 -req -in server-ed25519.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server-ed25519.crt -days $DAYS \
  -extfile ext.tmp

# Clients: one from the test CA (SAN prometheus.example.com), one from the other CA.
ext "subjectAltName=DNS:prometheus.example.com
extendedKeyUsage=clientAuth"
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr -subj "/CN=prometheus"
openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days $DAYS -extfile ext.tmp
ext "subjectAltName=DNS:intruder.example.com
extendedKeyUsage=clientAuth"
openssl req -newkey rsa:2048 -nodes -keyout rogue-client.key -out rogue-client.csr -subj "/CN=intruder"
openssl x509 -req -in rogue-client.csr -CA other-ca.crt -CAkey other-ca.key -CAcreateserial -out rogue-client.crt -days $DAYS -extfile ext.tmp

# An encrypted key and an X25519 key (key agreement only, it cannot sign), for the error messages.
openssl genpkey -algorithm x25519 -out x25519.key
openssl pkcs8 -topk8 -in server.key -out server-encrypted.key -passout pass:test
openssl rsa -in server.key -traditional -aes128 -passout pass:test -out server-encrypted-pkcs1.key

rm -f ./*.csr ./*.srl ext.tmp ca.key other-ca.key
