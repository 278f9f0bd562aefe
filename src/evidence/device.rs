//! The Mac's own device identity: the Entra device ID it presents (the one
//! key through the device chain), which source said so, the sources that
//! name another device, and the older device certificates a re-registration
//! left behind.

use crate::mac::registration::Registration;
use crate::mac::registration::certificate::DeviceCertificate;
use crate::util::guid::Guid;
use serde::Serialize;

/// Where a device ID was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum DeviceSource {
    /// Platform SSO's `deviceSigningCertificate`.
    PlatformSso,
    /// The newest `MS-Organization-Access` certificate of the login keychain.
    Keychain,
    /// The agent's `getPSSOStatus` (its primary registration).
    Agent,
}

impl DeviceSource {
    /// The source in words.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            DeviceSource::PlatformSso => "Platform SSO's device certificate",
            DeviceSource::Keychain => "the login keychain's device certificate",
            DeviceSource::Agent => "the agent's getPSSOStatus",
        }
    }
}

/// One source's device ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct SourcedId {
    /// Where it was read.
    pub(crate) source: DeviceSource,
    /// The device ID it names.
    pub(crate) device_id: Guid,
}

/// The device the Mac presents to Entra ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct DeviceIdentity {
    /// The current device ID.
    pub(crate) device_id: Guid,
    /// Where it came from (the first source that names one, in the order
    /// Platform SSO, the keychain, the agent).
    pub(crate) source: DeviceSource,
    /// Its tenant, when a source says.
    pub(crate) tenant_id: Option<Guid>,
    /// The current device's certificate, when one was read.
    pub(crate) certificate: Option<DeviceCertificate>,
    /// Every source's device ID, in that order.
    pub(crate) sources: Vec<SourcedId>,
    /// The sources that name another device than the current one.
    pub(crate) disagreeing: Vec<SourcedId>,
    /// Older device certificates in the keychain (re-registrations), newest
    /// first.
    pub(crate) older_certificates: Vec<DeviceCertificate>,
}

impl DeviceIdentity {
    /// The identity `registration` shows; `None` when no source names a
    /// device.
    pub(crate) fn of(registration: &Registration) -> Option<DeviceIdentity> {
        let platform_certificate = registration
            .platform_sso_state
            .as_ref()
            .filter(|s| s.registered())
            .and_then(|s| s.device_certificate.clone());
        let keychain_certificate = registration.keychain_certificates.first().cloned();
        let agent = registration.agent_status.as_ref();
        let mut sources = Vec::new();
        for (source, id) in [
            (
                DeviceSource::PlatformSso,
                platform_certificate.as_ref().and_then(|c| c.device_id),
            ),
            (
                DeviceSource::Keychain,
                keychain_certificate.as_ref().and_then(|c| c.device_id),
            ),
            (DeviceSource::Agent, agent.and_then(|a| a.device_id)),
        ] {
            if let Some(device_id) = id.filter(|id| !id.is_nil()) {
                sources.push(SourcedId { source, device_id });
            }
        }
        let SourcedId { source, device_id } = *sources.first()?;
        let certificate = match source {
            DeviceSource::PlatformSso => platform_certificate,
            DeviceSource::Keychain => keychain_certificate,
            DeviceSource::Agent => registration
                .keychain_certificates
                .iter()
                .find(|c| c.device_id == Some(device_id))
                .cloned(),
        };
        let tenant_id = certificate
            .as_ref()
            .and_then(|c| c.tenant_id)
            .or_else(|| {
                registration
                    .platform_sso_state
                    .as_ref()
                    .and_then(|s| s.tenant_id)
            })
            .or_else(|| agent.and_then(|a| a.tenant_id));
        let older_certificates = registration
            .keychain_certificates
            .iter()
            .filter(|c| c.device_id != Some(device_id))
            .cloned()
            .collect();
        let disagreeing = sources
            .iter()
            .filter(|s| s.device_id != device_id)
            .copied()
            .collect();
        Some(DeviceIdentity {
            device_id,
            source,
            tenant_id,
            certificate,
            sources,
            disagreeing,
            older_certificates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mac::registration::certificate::tests::REAL_DEVICE_CERTIFICATE;
    use crate::mac::registration::{CheckKind, CheckRecord};

    fn check(kind: CheckKind, output: &str) -> CheckRecord {
        CheckRecord {
            check: kind.label().to_string(),
            kind: Some(kind),
            registered: None,
            outcome: "ok".to_string(),
            output: output.to_string(),
        }
    }

    fn platform_sso_registered() -> String {
        std::fs::read_to_string(format!(
            "{}/fixtures/device-chain/mac/platform-sso-registered.txt",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    const OTHER: &str = "0d6f3c2e-1111-4222-8333-444455556666";

    #[test]
    fn platform_sso_first_and_a_disagreeing_agent_named() {
        let registration = Registration::from_checks(vec![
            check(CheckKind::PlatformSso, &platform_sso_registered()),
            check(
                CheckKind::AgentStatus,
                &format!("2\n[AnyHashable(\"primary_registration_metadata_device_id\"): {OTHER}]"),
            ),
            check(CheckKind::Keychain, ""),
        ]);
        let identity = DeviceIdentity::of(&registration).unwrap();
        assert_eq!(
            identity.device_id.to_string(),
            "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab"
        );
        assert_eq!(identity.source, DeviceSource::PlatformSso);
        assert_eq!(
            identity.tenant_id.unwrap().to_string(),
            "afb714de-f42c-41f2-802f-65b2911dd346",
            "from the certificate, the URLs being redacted"
        );
        assert_eq!(identity.disagreeing.len(), 1);
        assert_eq!(identity.disagreeing[0].source, DeviceSource::Agent);
        assert_eq!(identity.disagreeing[0].device_id.to_string(), OTHER);
    }

    #[test]
    fn the_keychain_alone_and_nothing_at_all() {
        let pem = crate::mac::registration::certificate::to_pem(REAL_DEVICE_CERTIFICATE);
        let registration = Registration::from_checks(vec![check(CheckKind::Keychain, &pem)]);
        let identity = DeviceIdentity::of(&registration).unwrap();
        assert_eq!(identity.source, DeviceSource::Keychain);
        assert!(identity.certificate.is_some());
        assert!(identity.disagreeing.is_empty() && identity.older_certificates.is_empty());
        assert_eq!(DeviceIdentity::of(&Registration::default()), None);
        // Platform SSO not registered: its certificate, if any, is not current.
        let registration = Registration::from_checks(vec![check(
            CheckKind::PlatformSso,
            &platform_sso_registered().replace(
                "\"registrationCompleted\" : true",
                "\"registrationCompleted\" : false",
            ),
        )]);
        assert_eq!(DeviceIdentity::of(&registration), None);
    }
}
