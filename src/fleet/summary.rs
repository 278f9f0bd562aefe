//! The fleet counted: by status and primary cause, the same by macOS
//! version, Jamf Pro version, building and department; the age of each
//! Mac's last success and last inventory; the Macs whose attribute did not
//! run, that disagree with Jamf Pro's record, or whose chain breaks.

use super::history::HistoryView;
use super::{FleetMac, MacRef};
use crate::attribute::AttributeStatus;
use crate::detectors::device::DETECTORS;
use crate::findings::FindingId;
use crate::verdict::Status;
use chrono::{DateTime, FixedOffset};
use serde::Serialize;
use std::collections::BTreeMap;

/// Counts of one group (a macOS version, a building...).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Group {
    /// The group's key.
    pub(crate) key: String,
    /// Its Macs.
    pub(crate) total: u64,
    /// Its Macs by status (only statuses present).
    pub(crate) by_status: BTreeMap<AttributeStatus, u64>,
    /// Its Macs by primary cause (only causes present).
    pub(crate) by_cause: BTreeMap<String, u64>,
}

/// How old something is, in the bands admins act on (Microsoft's example
/// compliance group wants an inventory within 2 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Age {
    /// Under a day.
    UnderADay,
    /// One to two days.
    OneToTwoDays,
    /// Two to seven days.
    TwoToSevenDays,
    /// Seven to thirty days.
    SevenToThirtyDays,
    /// Over thirty days.
    OverThirtyDays,
    /// Never, or unknown.
    Never,
}

impl Age {
    /// Every band, youngest first.
    pub(crate) const ALL: [Age; 6] = [
        Age::UnderADay,
        Age::OneToTwoDays,
        Age::TwoToSevenDays,
        Age::SevenToThirtyDays,
        Age::OverThirtyDays,
        Age::Never,
    ];

    /// The band of `time` at `now`.
    pub(crate) fn of(time: Option<DateTime<FixedOffset>>, now: DateTime<FixedOffset>) -> Age {
        let Some(time) = time else {
            return Age::Never;
        };
        let hours = (now - time).num_hours();
        match hours {
            h if h < 24 => Age::UnderADay,
            h if h < 48 => Age::OneToTwoDays,
            h if h < 24 * 7 => Age::TwoToSevenDays,
            h if h < 24 * 30 => Age::SevenToThirtyDays,
            _ => Age::OverThirtyDays,
        }
    }

    /// In words.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Age::UnderADay => "under a day",
            Age::OneToTwoDays => "1-2 days",
            Age::TwoToSevenDays => "2-7 days",
            Age::SevenToThirtyDays => "7-30 days",
            Age::OverThirtyDays => "over 30 days",
            Age::Never => "never / unknown",
        }
    }
}

/// A Mac whose attribute and Jamf Pro's record disagree.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Disagreement {
    /// The Mac.
    pub(crate) mac: MacRef,
    /// What Jamf Pro records of its accounts.
    pub(crate) jamf_says: &'static str,
}

/// The fleet's counts.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FleetSummary {
    /// Macs.
    pub(crate) total: u64,
    /// Macs by status.
    pub(crate) by_status: BTreeMap<AttributeStatus, u64>,
    /// Macs by primary cause.
    pub(crate) by_cause: Vec<(String, u64)>,
    /// By macOS version (major.minor).
    pub(crate) by_macos: Vec<Group>,
    /// By Jamf Pro framework version.
    pub(crate) by_jamf_version: Vec<Group>,
    /// By building (when the inventory has buildings).
    pub(crate) by_building: Vec<Group>,
    /// By department (likewise).
    pub(crate) by_department: Vec<Group>,
    /// Age of the last success.
    pub(crate) last_success_age: BTreeMap<Age, u64>,
    /// Age of the last inventory.
    pub(crate) inventory_age: BTreeMap<Age, u64>,
    /// Macs whose attribute had no value at their last inventory: it did
    /// not run.
    pub(crate) ea_did_not_run: Vec<MacRef>,
    /// Macs whose attribute holds a value outside ca-doctor's grammar (an
    /// older script's, a hand edit).
    pub(crate) unrecognised: Vec<MacRef>,
    /// Macs whose attribute and Jamf Pro's record disagree.
    pub(crate) disagreements: Vec<Disagreement>,
    /// With the tenant's records: the Macs of each device detector's
    /// finding (every detector listed, in report order).
    pub(crate) chain: Option<BTreeMap<FindingId, Vec<MacRef>>>,
    /// With `--history`: what changed, and the trend.
    pub(crate) history: Option<HistoryView>,
}

/// `version`'s major.minor (`15.1.1` -> `15.1`); Jamf's build suffix
/// (`11.22.1-t176…`) dropped.
fn version_group(version: &str) -> String {
    let version = version.split(['-', ' ']).next().unwrap_or_default();
    let parts: Vec<&str> = version.split('.').take(2).collect();
    match parts.as_slice() {
        [] | [""] => "unknown".to_string(),
        parts => parts.join("."),
    }
}

/// Groups of `macs` by `key`, the biggest first (ties by key).
fn groups(macs: &[FleetMac], key: impl Fn(&FleetMac) -> String) -> Vec<Group> {
    let mut groups: BTreeMap<String, Group> = BTreeMap::new();
    for mac in macs {
        let key = key(mac);
        let group = groups.entry(key.clone()).or_insert_with(|| Group {
            key,
            total: 0,
            by_status: BTreeMap::new(),
            by_cause: BTreeMap::new(),
        });
        group.total += 1;
        *group.by_status.entry(mac.ea.status).or_default() += 1;
        if let Some(cause) = mac.ea.primary_cause() {
            *group.by_cause.entry(cause.to_string()).or_default() += 1;
        }
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    groups.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.key.cmp(&b.key)));
    groups
}

impl FleetSummary {
    /// Counts `macs` at `now`; `chain` when the tenant's records were
    /// joined.
    pub(crate) fn of(
        macs: &[FleetMac],
        now: DateTime<FixedOffset>,
        chain: bool,
        history: Option<HistoryView>,
    ) -> FleetSummary {
        let mut by_status = BTreeMap::new();
        let mut causes: BTreeMap<String, u64> = BTreeMap::new();
        let mut last_success_age = BTreeMap::new();
        let mut inventory_age = BTreeMap::new();
        let mut ea_did_not_run = Vec::new();
        let mut unrecognised = Vec::new();
        let mut disagreements = Vec::new();
        let mut chain_macs: BTreeMap<FindingId, Vec<MacRef>> = BTreeMap::new();
        for mac in macs {
            *by_status.entry(mac.ea.status).or_default() += 1;
            if let Some(cause) = mac.ea.primary_cause() {
                *causes.entry(cause.to_string()).or_default() += 1;
            }
            *last_success_age
                .entry(Age::of(mac.last_success, now))
                .or_default() += 1;
            *inventory_age
                .entry(Age::of(mac.last_inventory, now))
                .or_default() += 1;
            if mac.ea.status == AttributeStatus::NoValue && mac.last_inventory.is_some() {
                ea_did_not_run.push(MacRef::of(mac));
            }
            if mac.ea.status == AttributeStatus::Unrecognised {
                unrecognised.push(MacRef::of(mac));
            }
            // The attribute's own word is what Jamf Pro's record is held to.
            let said = mac.attribute_said.unwrap_or(mac.ea.status);
            let healthy = said == AttributeStatus::Mac(Status::Healthy);
            let deactivated = said == AttributeStatus::Mac(Status::Deactivated);
            if healthy && mac.jamf_deactivated() {
                disagreements.push(Disagreement {
                    mac: MacRef::of(mac),
                    jamf_says: "DEACTIVATED",
                });
            } else if deactivated && mac.jamf_activated() {
                disagreements.push(Disagreement {
                    mac: MacRef::of(mac),
                    jamf_says: "ACTIVATED",
                });
            }
            for issue in &mac.chain {
                chain_macs.entry(*issue).or_default().push(MacRef::of(mac));
            }
        }
        let mut by_cause: Vec<(String, u64)> = causes.into_iter().collect();
        by_cause.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let place = |value: &str| {
            if value.is_empty() || value == "-1" {
                "none".to_string()
            } else {
                value.to_string()
            }
        };
        let has_places = |field: fn(&FleetMac) -> &str| {
            macs.iter()
                .any(|m| !field(m).is_empty() && field(m) != "-1")
        };
        FleetSummary {
            total: macs.len() as u64,
            by_status,
            by_cause,
            by_macos: groups(macs, |m| version_group(&m.macos)),
            by_jamf_version: groups(macs, |m| version_group(&m.jamf_version)),
            by_building: if has_places(|m| &m.building) {
                groups(macs, |m| place(&m.building))
            } else {
                Vec::new()
            },
            by_department: if has_places(|m| &m.department) {
                groups(macs, |m| place(&m.department))
            } else {
                Vec::new()
            },
            last_success_age,
            inventory_age,
            ea_did_not_run,
            unrecognised,
            disagreements,
            chain: chain.then(|| {
                DETECTORS
                    .iter()
                    .map(|detector| {
                        let macs = chain_macs.remove(&detector.id).unwrap_or_default();
                        (detector.id, macs)
                    })
                    .collect()
            }),
            history,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_group_by_major_and_minor_and_ages_by_band() {
        assert_eq!(version_group("15.1.1"), "15.1");
        assert_eq!(version_group("11.22.1-t1761234567"), "11.22");
        assert_eq!(version_group(""), "unknown");
        let now = DateTime::parse_from_rfc3339("2026-11-20T12:00:00Z").unwrap();
        let at = |text: &str| Some(DateTime::parse_from_rfc3339(text).unwrap());
        assert_eq!(Age::of(at("2026-11-20T00:00:00Z"), now), Age::UnderADay);
        assert_eq!(Age::of(at("2026-11-18T13:00:00Z"), now), Age::OneToTwoDays);
        assert_eq!(
            Age::of(at("2026-11-18T11:00:00Z"), now),
            Age::TwoToSevenDays
        );
        assert_eq!(
            Age::of(at("2026-10-01T00:00:00Z"), now),
            Age::OverThirtyDays
        );
        assert_eq!(Age::of(None, now), Age::Never);
    }
}
