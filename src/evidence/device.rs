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
    /// The SSO extension's own log (the device header it passes, the
    /// device certificate it reads): Secure Enclave registrations keep no
    /// keychain certificate.
    SsoExtensionLog,
}

impl DeviceSource {
    /// The source in words.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            DeviceSource::PlatformSso => "Platform SSO's device certificate",
            DeviceSource::Keychain => "the login keychain's device certificate",
            DeviceSource::Agent => "the agent's getPSSOStatus",
            DeviceSource::SsoExtensionLog => "the SSO extension's log",
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

/// A registration of the Mac in another tenant than the one judged (a
/// consultant's Mac registered with a client too): named, never judged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct OtherTenantRegistration {
    /// Its tenant.
    pub(crate) tenant_id: Guid,
    /// Its device ID.
    pub(crate) device_id: Guid,
    /// Where it was read.
    pub(crate) source: DeviceSource,
    /// When its certificate was issued, when one was read.
    pub(crate) issued: Option<chrono::DateTime<chrono::Utc>>,
}

/// The tenant whose registration is judged, and what said so.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct KnownTenant {
    /// The tenant ID.
    pub(crate) tenant_id: Guid,
    /// What said so (`--tenant-id`, Jamf Pro's integration, the exports).
    pub(crate) said_by: String,
}

/// The device the Mac presents to Entra ID.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct DeviceIdentity {
    /// The current device ID.
    pub(crate) device_id: Guid,
    /// Where it came from (the first source that names one, in the order
    /// Platform SSO, the keychain, the agent, the SSO extension's log).
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
    /// The tenant the current device was chosen for, when one was known.
    pub(crate) chosen_for: Option<KnownTenant>,
    /// The Mac's registrations in other tenants than the one chosen for.
    pub(crate) other_tenants: Vec<OtherTenantRegistration>,
    /// With no tenant known: the tenants of the Mac's registrations when
    /// there are several (which one is the Mac's for the exports cannot be
    /// told); empty otherwise.
    pub(crate) several_tenants: Vec<Guid>,
}

/// One device ID a source names, with its tenant and certificate.
struct Named {
    source: DeviceSource,
    device_id: Guid,
    tenant_id: Option<Guid>,
    certificate: Option<DeviceCertificate>,
}

/// Every device ID `registration` names, in the order of the sources
/// (Platform SSO, the keychain's certificates newest first, the agent).
fn named_devices(registration: &Registration) -> Vec<Named> {
    let mut named = Vec::new();
    let platform = registration
        .platform_sso_state
        .as_ref()
        .filter(|s| s.registered());
    if let Some(certificate) = platform.and_then(|s| s.device_certificate.clone())
        && let Some(device_id) = certificate.device_id
    {
        named.push(Named {
            source: DeviceSource::PlatformSso,
            device_id,
            tenant_id: certificate
                .tenant_id
                .or_else(|| platform.and_then(|s| s.tenant_id)),
            certificate: Some(certificate),
        });
    }
    for certificate in &registration.keychain_certificates {
        if let Some(device_id) = certificate.device_id {
            named.push(Named {
                source: DeviceSource::Keychain,
                device_id,
                tenant_id: certificate.tenant_id,
                certificate: Some(certificate.clone()),
            });
        }
    }
    if let Some(agent) = &registration.agent_status
        && let Some(device_id) = agent.device_id
    {
        named.push(Named {
            source: DeviceSource::Agent,
            device_id,
            tenant_id: agent.tenant_id,
            certificate: None,
        });
    }
    if let Some(logged) = &registration.logged_device {
        named.push(Named {
            source: DeviceSource::SsoExtensionLog,
            device_id: logged.device_id,
            tenant_id: None,
            certificate: None,
        });
    }
    named.retain(|n| !n.device_id.is_nil());
    named
}

/// Of the tenants `registration` holds registrations of, the one whose
/// device IDs `named` (the tenant's records read) knows, when exactly one:
/// the exports are that tenant's.
pub(crate) fn tenant_named_by(
    registration: &Registration,
    named: impl Fn(Guid) -> bool,
) -> Option<Guid> {
    let mut tenants: Vec<Guid> = named_devices(registration)
        .iter()
        .filter(|n| named(n.device_id))
        .filter_map(|n| n.tenant_id)
        .collect();
    tenants.sort();
    tenants.dedup();
    match tenants.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

impl DeviceIdentity {
    /// The identity `registration` shows; `None` when no source names a
    /// device.
    pub(crate) fn of(registration: &Registration) -> Option<DeviceIdentity> {
        Self::for_tenant(registration, None)
    }

    /// The identity `registration` shows in `tenant` (when known: the
    /// registrations of other tenants are named, not judged); `None` when
    /// no source names a device of it.
    pub(crate) fn for_tenant(
        registration: &Registration,
        tenant: Option<&KnownTenant>,
    ) -> Option<DeviceIdentity> {
        let named = named_devices(registration);
        let fits = |n: &Named| match (tenant, n.tenant_id) {
            (Some(known), Some(id)) => id == known.tenant_id,
            _ => true,
        };
        let other_tenants: Vec<OtherTenantRegistration> = named
            .iter()
            .filter(|n| !fits(n))
            .filter_map(|n| {
                Some(OtherTenantRegistration {
                    tenant_id: n.tenant_id?,
                    device_id: n.device_id,
                    source: n.source,
                    issued: n.certificate.as_ref().map(|c| c.not_before),
                })
            })
            .collect();
        let mut tenants: Vec<Guid> = named.iter().filter_map(|n| n.tenant_id).collect();
        tenants.sort();
        tenants.dedup();
        let several_tenants = if tenant.is_none() && tenants.len() > 1 {
            tenants
        } else {
            Vec::new()
        };
        let named: Vec<Named> = named.into_iter().filter(fits).collect();
        // One ID a source: Platform SSO's, the keychain's newest, the agent's.
        let mut sources: Vec<SourcedId> = Vec::new();
        for source in [
            DeviceSource::PlatformSso,
            DeviceSource::Keychain,
            DeviceSource::Agent,
            DeviceSource::SsoExtensionLog,
        ] {
            if let Some(n) = named.iter().find(|n| n.source == source) {
                sources.push(SourcedId {
                    source,
                    device_id: n.device_id,
                });
            }
        }
        let SourcedId { source, device_id } = *sources.first()?;
        let current = named.iter().find(|n| n.source == source);
        let certificate = match source {
            DeviceSource::Agent => named
                .iter()
                .filter(|n| n.source == DeviceSource::Keychain)
                .find(|n| n.device_id == device_id)
                .and_then(|n| n.certificate.clone()),
            _ => current.and_then(|n| n.certificate.clone()),
        };
        let tenant_id = certificate
            .as_ref()
            .and_then(|c| c.tenant_id)
            .or_else(|| current.and_then(|n| n.tenant_id))
            .or_else(|| {
                registration
                    .platform_sso_state
                    .as_ref()
                    .and_then(|s| s.tenant_id)
            })
            .or_else(|| named.iter().find_map(|n| n.tenant_id));
        let other_tenant = |c: &DeviceCertificate| {
            other_tenants
                .iter()
                .any(|o| Some(o.device_id) == c.device_id && Some(o.tenant_id) == c.tenant_id)
        };
        let older_certificates = registration
            .keychain_certificates
            .iter()
            .filter(|c| c.device_id != Some(device_id) && !other_tenant(c))
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
            chosen_for: tenant.filter(|_| !other_tenants.is_empty()).cloned(),
            other_tenants,
            several_tenants,
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
    fn the_current_device_is_chosen_in_the_tenant_judged() {
        let read = |name: &str| {
            let der = std::fs::read(format!(
                "{}/fixtures/device-chain/mac/{name}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            DeviceCertificate::from_der(&der).unwrap().unwrap()
        };
        let registration = Registration {
            keychain_certificates: vec![
                read("client-tenant-2026-10.der"),
                read("registered-2026-09.der"),
                read("registered-2026-01.der"),
            ],
            ..Registration::default()
        };
        let ours = Guid::parse("afb714de-f42c-41f2-802f-65b2911dd346").unwrap();
        let client = Guid::parse("c1a2b3c4-d5e6-4f70-8192-a3b4c5d6e7f8").unwrap();
        // No tenant known: the newest, and the tenants said.
        let unknown = DeviceIdentity::of(&registration).unwrap();
        assert_eq!(unknown.tenant_id, Some(client));
        assert_eq!(unknown.several_tenants, vec![ours, client]);
        // Ours known: our newest is current, our older one older, the
        // client's named and nothing else.
        let known = KnownTenant {
            tenant_id: ours,
            said_by: "Jamf Pro's integration".to_string(),
        };
        let identity = DeviceIdentity::for_tenant(&registration, Some(&known)).unwrap();
        assert_eq!(
            identity.device_id.to_string(),
            "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b"
        );
        assert!(identity.several_tenants.is_empty());
        assert_eq!(identity.older_certificates.len(), 1);
        assert_eq!(identity.other_tenants.len(), 1);
        assert_eq!(identity.other_tenants[0].tenant_id, client);
        assert_eq!(identity.chosen_for, Some(known));
        // The exports name our device: ours is the tenant.
        let current = identity.device_id;
        assert_eq!(
            tenant_named_by(&registration, |id| id == current),
            Some(ours)
        );
        assert_eq!(tenant_named_by(&registration, |_| false), None);
        assert_eq!(tenant_named_by(&registration, |_| true), None, "both named");
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
