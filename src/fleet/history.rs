//! `--history DIR`: each run keeps a dated snapshot of every Mac's status
//! (a private file, written atomically); the report says what changed
//! since the previous one (Macs newly deactivated, Macs recovered) and
//! draws the trend of every snapshot's counts.

use super::{FleetMac, MacRef};
use crate::attribute::AttributeStatus;
use crate::util::folder::Folder;
use crate::verdict::Status;
use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// Snapshots read for the trend, at most (the newest).
const MAX_TREND: usize = 90;

/// The largest snapshot read: a fleet of a million Macs takes about 150 MB.
const MAX_SNAPSHOT: u64 = 256 << 20;

/// One Mac in a snapshot: ID, name, status, primary cause.
type SnapshotMac = (Box<str>, Box<str>, Box<str>, Option<Box<str>>);

/// One run's snapshot.
#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    /// When (the run's clock).
    taken_at: DateTime<FixedOffset>,
    /// Macs by status.
    counts: BTreeMap<String, u64>,
    /// Every Mac: ID, name, status, primary cause.
    macs: Vec<SnapshotMac>,
}

/// The counts of a snapshot, without its Macs (read for the trend).
#[derive(Debug, Deserialize)]
struct Counts {
    taken_at: DateTime<FixedOffset>,
    counts: BTreeMap<String, u64>,
}

/// One point of the trend.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct TrendPoint {
    /// When.
    pub(crate) at: DateTime<FixedOffset>,
    /// Macs by status.
    pub(crate) counts: BTreeMap<String, u64>,
}

/// What the history says.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct HistoryView {
    /// The previous snapshot's time, when there is one.
    pub(crate) previous: Option<DateTime<FixedOffset>>,
    /// Macs deactivated now and not then.
    pub(crate) newly_deactivated: Vec<MacRef>,
    /// Macs healthy now that were deactivated, at risk or not compliant.
    pub(crate) recovered: Vec<MacRef>,
    /// Every snapshot's counts, oldest first, this run's last.
    pub(crate) trend: Vec<TrendPoint>,
    /// The snapshot written.
    pub(crate) written: PathBuf,
}

/// The snapshot file of a run at `at`.
fn file_name(at: DateTime<FixedOffset>) -> String {
    format!(
        "fleet-{}.json",
        at.with_timezone(&Utc).format("%Y%m%dT%H%M%SZ")
    )
}

/// Snapshot names of `folder`, oldest first (their names sort by time).
fn snapshots(folder: &Folder) -> anyhow::Result<Vec<String>> {
    let names = folder
        .names()
        .map_err(|e| anyhow::anyhow!("--history {}: {e}", folder.path().display()))?;
    Ok(names
        .into_iter()
        .filter(|n| n.starts_with("fleet-") && n.ends_with(".json"))
        .collect())
}

/// Compares `macs` with the newest snapshot of `folder` before `now`,
/// writes this run's snapshot, and returns what changed and the trend.
/// Unreadable snapshots are left out (named in `notes`).
pub(crate) fn record(
    folder: &Path,
    now: DateTime<FixedOffset>,
    macs: &[FleetMac],
    notes: &mut Vec<String>,
) -> anyhow::Result<HistoryView> {
    let folder = Folder::open_or_create(folder, "--history")?;
    let this = file_name(now);
    let earlier: Vec<String> = snapshots(&folder)?
        .into_iter()
        .filter(|name| *name < this)
        .collect();
    let previous = earlier
        .last()
        .and_then(|name| match read_snapshot(&folder, name) {
            Ok(snapshot) => Some(snapshot),
            Err(why) => {
                notes.push(format!("{why:#}"));
                None
            }
        });
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    for mac in macs {
        *counts.entry(mac.ea.status.token().to_string()).or_default() += 1;
    }
    let (newly_deactivated, recovered) = match &previous {
        Some(previous) => changes(previous, macs),
        None => (Vec::new(), Vec::new()),
    };
    let mut trend: Vec<TrendPoint> = Vec::new();
    let start = earlier.len().saturating_sub(MAX_TREND - 1);
    for name in &earlier[start..] {
        let point = folder
            .read_regular(name, MAX_SNAPSHOT)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Counts>(&bytes).ok());
        if let Some(point) = point {
            trend.push(TrendPoint {
                at: point.taken_at,
                counts: point.counts,
            });
        }
    }
    trend.push(TrendPoint {
        at: now,
        counts: counts.clone(),
    });
    let snapshot = Snapshot {
        taken_at: now,
        counts,
        macs: macs
            .iter()
            .map(|m| {
                (
                    m.id.clone(),
                    m.name.clone(),
                    Box::from(m.ea.status.token()),
                    m.ea.primary_cause().map(Box::from),
                )
            })
            .collect(),
    };
    folder
        .replace(&this, &serde_json::to_vec(&snapshot)?)
        .map_err(|e| anyhow::anyhow!("--history {e:#}"))?;
    Ok(HistoryView {
        previous: previous.map(|p| p.taken_at),
        newly_deactivated,
        recovered,
        trend,
        written: folder.join(&this),
    })
}

/// The snapshot `name` of `folder`: a regular file of at most
/// [`MAX_SNAPSHOT`] bytes.
fn read_snapshot(folder: &Folder, name: &str) -> anyhow::Result<Snapshot> {
    let bytes = folder
        .read_regular(name, MAX_SNAPSHOT)
        .map_err(|e| anyhow::anyhow!("{e:#}; left out"))?;
    serde_json::from_slice(&bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not a fleet snapshot ({e}); left out",
            folder.join(name).display()
        )
    })
}

/// Macs newly deactivated and Macs recovered since `previous`.
fn changes(previous: &Snapshot, macs: &[FleetMac]) -> (Vec<MacRef>, Vec<MacRef>) {
    let before: HashMap<&str, AttributeStatus> = previous
        .macs
        .iter()
        .filter_map(|(id, _, status, _)| Some((&**id, AttributeStatus::from_token(status)?)))
        .collect();
    let mut newly_deactivated = Vec::new();
    let mut recovered = Vec::new();
    for mac in macs {
        let then = before.get(&*mac.id).copied();
        let now = mac.ea.status;
        let named = || MacRef {
            id: mac.id.clone(),
            name: mac.name.clone(),
            status: now,
        };
        if now == AttributeStatus::Mac(Status::Deactivated)
            && then != Some(AttributeStatus::Mac(Status::Deactivated))
        {
            newly_deactivated.push(named());
        }
        let was_bad = matches!(
            then,
            Some(AttributeStatus::Mac(
                Status::Deactivated | Status::AtRisk | Status::NotCompliant
            ))
        );
        if now == AttributeStatus::Mac(Status::Healthy) && was_bad {
            recovered.push(named());
        }
    }
    (newly_deactivated, recovered)
}
