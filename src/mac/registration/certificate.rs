//! Entra ID's device certificate (Workplace Join): issued by
//! `MS-Organization-Access`, its subject is the device ID, and Microsoft's
//! extensions carry the device, user and tenant IDs and the join type. Read
//! from the PEM listing of the user's login keychain or from Platform SSO's
//! `deviceSigningCertificate`, with an X.509 parser; a certificate that is
//! not a device certificate is counted, never an error.

use crate::util::guid::Guid;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use x509_parser::der_parser::ber::parse_ber_octetstring;
use x509_parser::prelude::{FromDer, X509Certificate, X509Name};

/// The issuer's common name on every Entra device certificate.
pub(crate) const DEVICE_ISSUER: &str = "MS-Organization-Access";

/// Microsoft's certificate extensions (1.2.840.113556.1.5.284.n).
const DEVICE_ID_OID: &str = "1.2.840.113556.1.5.284.2";
const USER_OBJECT_ID_OID: &str = "1.2.840.113556.1.5.284.3";
const TENANT_ID_OID: &str = "1.2.840.113556.1.5.284.5";
const JOIN_TYPE_OID: &str = "1.2.840.113556.1.5.284.7";
const REGION_OID: &str = "1.2.840.113556.1.5.284.8";

/// One device certificate's public facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct DeviceCertificate {
    /// The device ID: the extension's, else the subject's.
    pub(crate) device_id: Option<Guid>,
    /// The subject's common name, as written.
    pub(crate) subject: String,
    /// The Entra user object that registered the device (a pseudonym in a
    /// bundle redacted of personal data reads as none).
    #[serde(default, deserialize_with = "crate::util::guid::lenient")]
    pub(crate) user_object_id: Option<Guid>,
    /// The tenant the device is registered in.
    pub(crate) tenant_id: Option<Guid>,
    /// "0" registered, "1" joined (as the extension says).
    pub(crate) join_type: Option<String>,
    /// The tenant's region ("NA", "EU"...).
    pub(crate) region: Option<String>,
    /// Valid from.
    pub(crate) not_before: DateTime<Utc>,
    /// Valid until.
    pub(crate) not_after: DateTime<Utc>,
    /// The serial number, hexadecimal.
    pub(crate) serial: String,
}

impl DeviceCertificate {
    /// Reads one DER certificate: `Ok(None)` when it is not issued by
    /// [`DEVICE_ISSUER`], `Err` when it is no certificate.
    pub(crate) fn from_der(der: &[u8]) -> anyhow::Result<Option<DeviceCertificate>> {
        let (_, certificate) = X509Certificate::from_der(der)
            .map_err(|e| anyhow::anyhow!("not an X.509 certificate ({e})"))?;
        if !common_names(certificate.issuer())
            .iter()
            .any(|cn| cn.eq_ignore_ascii_case(DEVICE_ISSUER))
        {
            return Ok(None);
        }
        let subject = common_names(certificate.subject())
            .into_iter()
            .next()
            .unwrap_or_default();
        let extension = |oid: &str| {
            certificate
                .extensions()
                .iter()
                .find(|e| e.oid.to_id_string() == oid)
                .and_then(|e| inner_octets(e.value))
        };
        let guid = |oid: &str| extension(oid).and_then(|v| Guid::from_windows_bytes(&v));
        let text = |oid: &str| {
            extension(oid)
                .map(|v| String::from_utf8_lossy(&v).trim().to_string())
                .filter(|t| !t.is_empty())
        };
        let time = |t: i64| DateTime::from_timestamp(t, 0).unwrap_or_default();
        Ok(Some(DeviceCertificate {
            device_id: guid(DEVICE_ID_OID).or_else(|| Guid::parse(&subject)),
            subject,
            user_object_id: guid(USER_OBJECT_ID_OID),
            tenant_id: guid(TENANT_ID_OID),
            join_type: text(JOIN_TYPE_OID),
            region: text(REGION_OID),
            not_before: time(certificate.validity().not_before.timestamp()),
            not_after: time(certificate.validity().not_after.timestamp()),
            serial: certificate.raw_serial_as_string().replace(':', ""),
        }))
    }

    /// The join type in words.
    pub(crate) fn join_type_name(&self) -> &'static str {
        match self.join_type.as_deref() {
            Some("0") => "registered",
            Some("1") => "joined",
            Some(_) => "other",
            None => "not stated",
        }
    }
}

/// The common names of `name`, as text.
fn common_names(name: &X509Name) -> Vec<String> {
    name.iter_common_name()
        .filter_map(|cn| cn.as_str().ok())
        .map(str::to_string)
        .collect()
}

/// An extension's value is an OCTET STRING inside the extension's own,
/// written with BER lengths (`04 81 10 …`): its contents.
fn inner_octets(value: &[u8]) -> Option<Vec<u8>> {
    let (_, object) = parse_ber_octetstring(value).ok()?;
    object.as_slice().ok().map(<[u8]>::to_vec)
}

/// The certificates of a keychain listing (`security find-certificate -a
/// -p`): the device certificates, newest first, and what else was there.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct KeychainListing {
    /// Device certificates, newest (`not_before`) first.
    pub(crate) device: Vec<DeviceCertificate>,
    /// The same certificates as PEM blocks, in the same order.
    pub(crate) pem: Vec<String>,
    /// Other certificates.
    pub(crate) others: usize,
    /// Blocks that were no certificate, and why.
    pub(crate) unreadable: Vec<String>,
}

/// Reads every PEM certificate in `text`.
pub(crate) fn from_pem_listing(text: &str) -> KeychainListing {
    let mut listing = KeychainListing::default();
    for (n, block) in x509_parser::pem::Pem::iter_from_buffer(text.as_bytes()).enumerate() {
        let block = match block {
            Ok(block) => block,
            Err(error) => {
                // Past a broken block nothing more can be found.
                if !matches!(error, x509_parser::error::PEMError::MissingHeader) {
                    listing.unreadable.push(format!("block {}: {error}", n + 1));
                }
                break;
            }
        };
        match DeviceCertificate::from_der(&block.contents) {
            Ok(Some(certificate)) => {
                listing.device.push(certificate);
                listing.pem.push(to_pem(&block.contents));
            }
            Ok(None) => listing.others += 1,
            Err(error) => listing.unreadable.push(format!("block {}: {error}", n + 1)),
        }
    }
    let mut pairs: Vec<(DeviceCertificate, String)> = listing
        .device
        .drain(..)
        .zip(listing.pem.drain(..))
        .collect();
    pairs.sort_by_key(|pair| std::cmp::Reverse(pair.0.not_before));
    (listing.device, listing.pem) = pairs.into_iter().unzip();
    listing
}

/// Writes `der` as one PEM certificate block.
pub(crate) fn to_pem(der: &[u8]) -> String {
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD.encode(der);
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .filter_map(|chunk| std::str::from_utf8(chunk).ok())
        .collect();
    format!(
        "-----BEGIN CERTIFICATE-----\n{}\n-----END CERTIFICATE-----\n",
        lines.join("\n")
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The public device certificate of a real Mac registered with Platform
    /// SSO (`deviceSigningCertificate` of a published `app-sso platform -s`).
    pub(crate) const REAL_DEVICE_CERTIFICATE: &[u8] =
        include_bytes!("../../../fixtures/device-chain/mac/device-certificate.der");

    #[test]
    fn a_real_device_certificate_gives_its_ids() {
        let certificate = DeviceCertificate::from_der(REAL_DEVICE_CERTIFICATE)
            .unwrap()
            .unwrap();
        assert_eq!(
            certificate.device_id.unwrap().to_string(),
            "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab"
        );
        assert_eq!(certificate.subject, "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab");
        assert_eq!(
            certificate.tenant_id.unwrap().to_string(),
            "afb714de-f42c-41f2-802f-65b2911dd346"
        );
        assert_eq!(
            certificate.user_object_id.unwrap().to_string(),
            "fa417c32-4128-4c35-87a7-8b2930fd4b5d"
        );
        assert_eq!(certificate.join_type.as_deref(), Some("1"));
        assert_eq!(certificate.join_type_name(), "joined");
        assert_eq!(certificate.region.as_deref(), Some("NA"));
        assert_eq!(
            certificate.not_before.to_rfc3339(),
            "2025-06-18T12:42:26+00:00"
        );
        assert_eq!(
            certificate.not_after.to_rfc3339(),
            "2035-06-18T13:12:26+00:00"
        );
        assert_eq!(certificate.serial, "71d24c44c336a38c47c6b0c4e333f5b7");
    }

    #[test]
    fn a_listing_keeps_device_certificates_newest_first_and_counts_the_rest() {
        let pem = to_pem(REAL_DEVICE_CERTIFICATE);
        let text = format!(
            "keychain noise\n{pem}-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n{pem}"
        );
        let listing = from_pem_listing(&text);
        assert_eq!(listing.device.len(), 2);
        assert_eq!(listing.unreadable.len(), 1, "{:?}", listing.unreadable);
        assert!(listing.unreadable[0].starts_with("block 2: not an X.509 certificate"));
        assert_eq!(from_pem_listing(""), KeychainListing::default());
        assert_eq!(
            from_pem_listing("no certificates here\n"),
            KeychainListing::default()
        );
    }

    fn synthetic(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/fixtures/device-chain/mac/{name}.der",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn re_registrations_are_listed_newest_first_beside_other_issuers() {
        let text = [
            to_pem(&synthetic("registered-2026-01")),
            to_pem(&synthetic("other-issuer")),
            to_pem(&synthetic("registered-2026-09")),
        ]
        .concat();
        let listing = from_pem_listing(&text);
        let ids: Vec<String> = listing
            .device
            .iter()
            .map(|c| c.device_id.unwrap().to_string())
            .collect();
        assert_eq!(
            ids,
            [
                "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b",
                "0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f"
            ]
        );
        assert_eq!(listing.pem.len(), 2);
        assert_eq!(
            from_pem_listing(&listing.pem[0]).device[0],
            listing.device[0],
            "the kept PEM reads the same"
        );
        assert_eq!(listing.others, 1);
        let newest = &listing.device[0];
        assert_eq!(newest.subject, "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b");
        assert_eq!(newest.join_type_name(), "registered");
        assert_eq!(
            newest.tenant_id.unwrap().to_string(),
            "afb714de-f42c-41f2-802f-65b2911dd346"
        );
        assert!(matches!(
            DeviceCertificate::from_der(&synthetic("other-issuer")),
            Ok(None)
        ));
    }

    #[test]
    fn garbage_is_never_a_panic() {
        for bytes in [
            &b""[..],
            b"\x30",
            b"\x30\x82\xff\xff",
            &REAL_DEVICE_CERTIFICATE[..100],
        ] {
            assert!(DeviceCertificate::from_der(bytes).is_err());
        }
        assert_eq!(inner_octets(b"\x04\x81"), None);
    }
}
