//! The app's certificate credential: its RSA key and certificate (PEM
//! files, or one PKCS#12 file as Keychain Access or OpenSSL write it) and
//! the client assertion Entra ID takes instead of a secret, a JWT signed
//! with the key (RS256) naming the certificate by its thumbprints, for one
//! token endpoint, valid ten minutes.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde_json::json;

/// How long an assertion is valid.
const LIFETIME_SECONDS: i64 = 600;

/// An app's key and the certificate uploaded to its registration.
pub(crate) struct AppCertificate {
    key: RsaKeyPair,
    certificate: Vec<u8>,
}

impl std::fmt::Debug for AppCertificate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AppCertificate({})", self.thumbprint_sha1_hex())
    }
}

impl AppCertificate {
    /// From PEM text: the certificate in `certificate`, the key in `key`
    /// (the same text may hold both). PKCS#8 or PKCS#1 RSA keys,
    /// unencrypted.
    pub(crate) fn from_pem(certificate: &[u8], key: &[u8]) -> anyhow::Result<AppCertificate> {
        let der = CertificateDer::pem_slice_iter(certificate)
            .next()
            .ok_or_else(|| anyhow::anyhow!("no certificate (-----BEGIN CERTIFICATE-----) in it"))?
            .map_err(|e| anyhow::anyhow!("the certificate cannot be read ({e})"))?;
        if String::from_utf8_lossy(key).contains("ENCRYPTED PRIVATE KEY") {
            return Err(anyhow::anyhow!(
                "the key is encrypted: give it unencrypted in a file only you can read, or a PKCS#12 file with its password in CA_DOCTOR_CERTIFICATE_PASSWORD"
            ));
        }
        let key = match PrivateKeyDer::from_pem_slice(key) {
            Ok(PrivateKeyDer::Pkcs8(der)) => RsaKeyPair::from_pkcs8(der.secret_pkcs8_der()),
            Ok(PrivateKeyDer::Pkcs1(der)) => RsaKeyPair::from_der(der.secret_pkcs1_der()),
            Ok(_) => {
                return Err(anyhow::anyhow!(
                    "the key is not an RSA key: Entra ID signs in apps with RSA certificates"
                ));
            }
            Err(_) => {
                return Err(anyhow::anyhow!(
                    "no private key (-----BEGIN PRIVATE KEY-----) in it"
                ));
            }
        }
        .map_err(|e| {
            anyhow::anyhow!("the key cannot be used ({e}): an RSA key of 2048 bits or more")
        })?;
        AppCertificate::checked(key, der.to_vec())
    }

    /// From a PKCS#12 file's bytes, opened with `password`.
    pub(crate) fn from_pkcs12(bytes: &[u8], password: &str) -> anyhow::Result<AppCertificate> {
        let store = p12_keystore::KeyStore::from_pkcs12(
            bytes,
            password,
            p12_keystore::Pkcs12ImportPolicy::Relaxed,
        )
        .map_err(|e| {
            anyhow::anyhow!("cannot be opened ({e}): is CA_DOCTOR_CERTIFICATE_PASSWORD right?")
        })?;
        let (_, chain) = store
            .private_key_chain()
            .ok_or_else(|| anyhow::anyhow!("holds no private key with its certificate"))?;
        let certificate = chain
            .certs()
            .first()
            .ok_or_else(|| anyhow::anyhow!("holds a key without its certificate"))?
            .as_der()
            .to_vec();
        let key = RsaKeyPair::from_pkcs8(chain.key().as_der()).map_err(|e| {
            anyhow::anyhow!("its key cannot be used ({e}): Entra ID signs in apps with RSA keys of 2048 bits or more")
        })?;
        AppCertificate::checked(key, certificate)
    }

    /// The pair, when the certificate is the key's.
    fn checked(key: RsaKeyPair, certificate: Vec<u8>) -> anyhow::Result<AppCertificate> {
        let (_, parsed) = x509_parser::parse_x509_certificate(&certificate)
            .map_err(|e| anyhow::anyhow!("the certificate cannot be read ({e})"))?;
        let public = parsed.public_key().subject_public_key.data.as_ref();
        if ring::signature::KeyPair::public_key(&key).as_ref() != public {
            return Err(anyhow::anyhow!(
                "the key and the certificate do not belong together"
            ));
        }
        Ok(AppCertificate { key, certificate })
    }

    /// The certificate's SHA-1 thumbprint in hex, as the app registration
    /// lists it.
    pub(crate) fn thumbprint_sha1_hex(&self) -> String {
        ring::digest::digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY, &self.certificate)
            .as_ref()
            .iter()
            .map(|b| format!("{b:02X}"))
            .collect()
    }

    /// A client assertion for `client_id` at the token endpoint `audience`,
    /// valid from `now` (Unix seconds) for ten minutes.
    pub(crate) fn assertion(
        &self,
        client_id: &str,
        audience: &str,
        now: i64,
    ) -> anyhow::Result<String> {
        let digest =
            |algorithm| URL_SAFE_NO_PAD.encode(ring::digest::digest(algorithm, &self.certificate));
        let header = json!({
            "alg": "RS256",
            "typ": "JWT",
            "x5t": digest(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY),
            "x5t#S256": digest(&ring::digest::SHA256),
        });
        let rng = SystemRandom::new();
        let mut nonce = [0u8; 16];
        rng.fill(&mut nonce)
            .map_err(|_| anyhow::anyhow!("no random numbers"))?;
        let claims = json!({
            "aud": audience,
            "iss": client_id,
            "sub": client_id,
            "jti": crate::util::guid::Guid::from_random_bytes(nonce).to_string(),
            "iat": now,
            "nbf": now,
            "exp": now + LIFETIME_SECONDS,
        });
        let signed = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; self.key.public().modulus_len()];
        self.key
            .sign(&RSA_PKCS1_SHA256, &rng, signed.as_bytes(), &mut signature)
            .map_err(|_| anyhow::anyhow!("the assertion could not be signed"))?;
        Ok(format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature)))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/fixtures/fetch/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    /// Checks `assertion` as Entra ID would: its signature with the
    /// certificate's public key, its header and claims; returns the claims.
    pub(crate) fn verified(assertion: &str, certificate_der: &[u8]) -> serde_json::Value {
        let (signed, signature) = assertion.rsplit_once('.').unwrap();
        let (_, parsed) = x509_parser::parse_x509_certificate(certificate_der).unwrap();
        let public = parsed.public_key().subject_public_key.data.to_vec();
        ring::signature::UnparsedPublicKey::new(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            public,
        )
        .verify(
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(signature).unwrap(),
        )
        .expect("the signature checks out with the certificate's key");
        let (header, claims) = signed.split_once('.').unwrap();
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(header).unwrap()).unwrap();
        assert_eq!(header["alg"], "RS256");
        assert_eq!(
            header["x5t#S256"],
            URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, certificate_der))
        );
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(claims).unwrap()).unwrap()
    }

    fn certificate_der() -> Vec<u8> {
        CertificateDer::from_pem_slice(&fixture("app-certificate.pem"))
            .unwrap()
            .to_vec()
    }

    #[test]
    fn an_assertion_signed_by_the_key_that_entra_id_would_accept() {
        let pem =
            AppCertificate::from_pem(&fixture("app-certificate.pem"), &fixture("app-key.pem"))
                .unwrap();
        let aud = "https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token";
        let claims = verified(
            &pem.assertion("c0ffee00-1111-4222-8333-444455556666", aud, 1_800_000_000)
                .unwrap(),
            &certificate_der(),
        );
        assert_eq!(claims["aud"], aud);
        assert_eq!(claims["iss"], "c0ffee00-1111-4222-8333-444455556666");
        assert_eq!(claims["sub"], claims["iss"]);
        assert_eq!(claims["nbf"], 1_800_000_000);
        assert_eq!(claims["exp"], 1_800_000_600);
        assert_eq!(claims["jti"].as_str().unwrap().len(), 36);
        // The same pair from PKCS#1 PEM and from both PKCS#12 flavours.
        for loaded in [
            AppCertificate::from_pem(
                &fixture("app-certificate.pem"),
                &fixture("app-key-pkcs1.pem"),
            )
            .unwrap(),
            AppCertificate::from_pkcs12(&fixture("app.p12"), "test-password").unwrap(),
            AppCertificate::from_pkcs12(&fixture("app-legacy.p12"), "test-password").unwrap(),
        ] {
            assert_eq!(loaded.thumbprint_sha1_hex(), pem.thumbprint_sha1_hex());
            verified(&loaded.assertion("x", aud, 0).unwrap(), &certificate_der());
        }
    }

    #[test]
    fn wrong_passwords_keys_and_pairs_are_one_line() {
        let error = AppCertificate::from_pkcs12(&fixture("app.p12"), "wrong")
            .unwrap_err()
            .to_string();
        assert!(error.contains("CA_DOCTOR_CERTIFICATE_PASSWORD"), "{error}");
        let error = AppCertificate::from_pem(&fixture("app-certificate.pem"), b"nothing")
            .unwrap_err()
            .to_string();
        assert!(error.contains("no private key"), "{error}");
        let error = AppCertificate::from_pem(b"", &fixture("app-key.pem"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("no certificate"), "{error}");
        let error =
            AppCertificate::from_pem(&fixture("other-certificate.pem"), &fixture("app-key.pem"))
                .unwrap_err()
                .to_string();
        assert!(error.contains("do not belong together"), "{error}");
    }
}
