//! The device chain's detectors: what the tenant's records say of the
//! device Entra ID judged (see [`crate::evidence::chain`]). They look at a
//! chain only, so that the same detectors serve a Mac's report (`check
//! --tenant`, the chain of the Mac's own device ID) and the tenant-side
//! `device` command (the chain of the device asked about).

pub(crate) mod disabled;
pub(crate) mod duplicate_records;
pub(crate) mod enrolled_in_intune_too;
pub(crate) mod id_mismatch;
pub(crate) mod inventory_stale;
pub(crate) mod not_compliant;
pub(crate) mod not_presented;
pub(crate) mod record_missing;
pub(crate) mod soft_deleted;

use super::Context;
use crate::evidence::chain::DeviceChain;
use crate::findings::{Finding, FindingId};
use crate::util::time::format_local;
use chrono::{DateTime, FixedOffset};

/// What every device detector looks at.
pub(crate) struct ChainContext<'a> {
    /// The chain of the device.
    pub(crate) chain: &'a DeviceChain,
    /// The analysis clock.
    pub(crate) now: DateTime<FixedOffset>,
    /// Whether the agent on the Mac says it is deactivated (its own
    /// preferences), when the Mac was read.
    pub(crate) agent_deactivated: Option<bool>,
    /// How to look again once fixed.
    pub(crate) run_again: &'static str,
}

impl ChainContext<'_> {
    /// A time in the clock's offset.
    pub(crate) fn time(&self, time: DateTime<FixedOffset>) -> String {
        format_local(time, self.now.timezone())
    }

    /// Whole days from `time` to the clock.
    pub(crate) fn days_since(&self, time: DateTime<FixedOffset>) -> i64 {
        (self.now - time).num_days()
    }
}

/// One device detector: the finding it raises, and the pure function that
/// looks for it.
pub(crate) struct DeviceDetector {
    /// The finding.
    pub(crate) id: FindingId,
    /// Its detection.
    pub(crate) detect: fn(&ChainContext) -> Vec<Finding>,
}

/// Every device detector, in report order.
pub(crate) const DETECTORS: &[DeviceDetector] = &[
    DeviceDetector {
        id: soft_deleted::ID,
        detect: soft_deleted::detect,
    },
    DeviceDetector {
        id: record_missing::ID,
        detect: record_missing::detect,
    },
    DeviceDetector {
        id: disabled::ID,
        detect: disabled::detect,
    },
    DeviceDetector {
        id: id_mismatch::ID,
        detect: id_mismatch::detect,
    },
    DeviceDetector {
        id: not_compliant::ID,
        detect: not_compliant::detect,
    },
    DeviceDetector {
        id: not_presented::ID,
        detect: not_presented::detect,
    },
    DeviceDetector {
        id: inventory_stale::ID,
        detect: inventory_stale::detect,
    },
    DeviceDetector {
        id: duplicate_records::ID,
        detect: duplicate_records::detect,
    },
    DeviceDetector {
        id: enrolled_in_intune_too::ID,
        detect: enrolled_in_intune_too::detect,
    },
];

/// Runs every device detector on `context`.
pub(crate) fn run_all(context: &ChainContext) -> Vec<Finding> {
    DETECTORS
        .iter()
        .flat_map(|detector| (detector.detect)(context))
        .collect()
}

/// The device detectors of a Mac's report: on the chain of its device ID,
/// when the tenant's device records were given.
pub(crate) fn detect(context: &Context) -> Vec<Finding> {
    let Some(chain) = &context.facts.device_chain else {
        return Vec::new();
    };
    run_all(&ChainContext {
        chain,
        now: context.now,
        agent_deactivated: context.facts.prefs.have_an_azure_id.map(|has| !has),
        run_again: context.run_again(),
    })
}

#[cfg(test)]
pub(crate) mod testing {
    //! A chain built from the tenant fixture, for the detectors' tests.

    use crate::evidence::chain::{DeviceChain, DeviceSignIn, TenantDevices};
    use crate::tenant::entra::devices::EntraDevice;
    use crate::util::guid::Guid;
    use crate::util::time::parse_now;

    /// The Mac's current device ID in the fixture.
    pub(crate) const CURRENT: &str = "7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b";
    /// Its earlier registration.
    pub(crate) const OLDER: &str = "0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f";

    /// The tenant's records of `fixtures/device-chain/tenant`.
    pub(crate) fn tenant() -> TenantDevices {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/device-chain/tenant");
        let mut tenant = TenantDevices::default();
        let read = crate::tenant::entra::devices::read_devices(
            &dir.join("entra-devices.json"),
            &mut |d| tenant.devices.push(d.clone()),
        );
        tenant.inputs.extend(read.input);
        let read = crate::tenant::entra::managed_devices::read_managed_devices(
            &dir.join("intune-managed-devices.json"),
            &mut |d| tenant.managed.push(d.clone()),
        );
        tenant.inputs.extend(read.input);
        let read = crate::tenant::jamf_pro::compliance::read_compliance(
            &dir.join("jamf-compliance/12.json"),
            &mut |r| tenant.compliance.push(r.clone()),
        );
        tenant.inputs.extend(read.input);
        let read = crate::tenant::jamf_pro::inventory::read_inventory(
            &dir.join("jamf-inventory.json"),
            &mut |c| tenant.computers.push(c.clone()),
        );
        tenant.inputs.extend(read.input);
        crate::tenant::entra::signins::read_file(&dir.join("signins.json"), &mut |s| {
            tenant.sign_ins.push(DeviceSignIn::of(s))
        });
        tenant
    }

    /// The chain of the fixture's Mac.
    pub(crate) fn chain_of(tenant: &TenantDevices) -> DeviceChain {
        tenant.chain(
            Guid::parse(CURRENT).unwrap(),
            &[Guid::parse(OLDER).unwrap()],
            &["jane@contoso.com".to_string()],
        )
    }

    /// The clock of the fixtures.
    pub(crate) fn now() -> chrono::DateTime<chrono::FixedOffset> {
        parse_now("2026-11-20T12:00:00-05:00").unwrap()
    }

    /// The fixture's Entra object of `id`, to change.
    pub(crate) fn object<'a>(tenant: &'a mut TenantDevices, id: &str) -> &'a mut EntraDevice {
        let id = Guid::parse(id).unwrap();
        tenant
            .devices
            .iter_mut()
            .find(|d| d.device_id == id)
            .unwrap()
    }

    /// The findings of `detect` on `chain`, with the agent's state.
    pub(crate) fn run(
        detect: fn(&super::ChainContext) -> Vec<crate::findings::Finding>,
        chain: &DeviceChain,
        agent_deactivated: Option<bool>,
    ) -> Vec<crate::findings::Finding> {
        detect(&super::ChainContext {
            chain,
            now: now(),
            agent_deactivated,
            run_again: "run `sudo ca-doctor check` again",
        })
    }
}
