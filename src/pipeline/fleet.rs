//! The fleet report's path: Jamf Pro's inventory (API pages or a computer
//! search's CSV) read into fleet Macs, their compliance records and the
//! tenant's Entra device records joined, the history kept, then counted.

use super::request::TenantExports;
use crate::attribute::{AttributeStatus, EaValue};
use crate::findings::FindingId;
use crate::fleet::reader::FleetReader;
use crate::fleet::summary::FleetSummary;
use crate::fleet::tenant::EntraRecords;
use crate::fleet::{FleetMac, FleetReport, history};
use crate::tenant::entra::devices::{read_deleted_devices, read_devices};
use crate::tenant::jamf_pro::compliance::{JamfComplianceState, read_compliance};
use crate::tenant::jamf_pro::inventory::read_inventory;
use crate::tenant::jamf_pro::places::read_places;
use crate::tenant::jamf_pro::search_export::read_search_export;
use crate::tenant::kind::{TenantKind, other_kind, sort};
use crate::util::pool::in_order;
use crate::verdict::Status;
use chrono::{DateTime, FixedOffset};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// What a fleet report reads.
#[derive(Debug)]
pub(crate) struct FleetRequest {
    /// Inventory pages and computer-search exports, files or folders.
    pub(crate) inventories: Vec<PathBuf>,
    /// The status attribute's name (none: found by its values).
    pub(crate) ea: Option<String>,
    /// The last-success attribute's name (none: found by its name).
    pub(crate) ea_last_success: Option<String>,
    /// The tenant's exports: Entra devices, Jamf Pro compliance records.
    pub(crate) tenant: TenantExports,
    /// Where snapshots are kept.
    pub(crate) history: Option<PathBuf>,
    /// The clock.
    pub(crate) now: DateTime<FixedOffset>,
    /// The Jamf Pro server, for links.
    pub(crate) jamf_url: Option<String>,
}

/// Jamf Pro's names of buildings and departments by ID, from the
/// `jamf-buildings.json` and `jamf-departments.json` a fetch wrote beside
/// the inventory pages.
#[derive(Debug, Default)]
struct PlaceNames {
    buildings: HashMap<String, String>,
    departments: HashMap<String, String>,
}

impl PlaceNames {
    /// The names in the folders of `paths` (a folder, or a file's).
    fn of(paths: &[PathBuf]) -> PlaceNames {
        let mut names = PlaceNames::default();
        let mut folders: Vec<&Path> = paths
            .iter()
            .filter_map(|p| {
                if p.is_dir() {
                    Some(p.as_path())
                } else {
                    p.parent()
                }
            })
            .collect();
        folders.dedup();
        for folder in folders {
            for (kind, into) in [
                (TenantKind::JamfBuildings, &mut names.buildings),
                (TenantKind::JamfDepartments, &mut names.departments),
            ] {
                let Some(file) = kind.spec().fixed_file else {
                    continue;
                };
                read_places(&folder.join(file), &mut |place| {
                    into.insert(place.id.to_string(), place.name.to_string());
                });
            }
        }
        names
    }

    /// Names each Mac's building and department where an ID is known.
    fn apply(&self, macs: &mut [FleetMac]) {
        if self.buildings.is_empty() && self.departments.is_empty() {
            return;
        }
        let mut shared: HashMap<String, std::sync::Arc<str>> = HashMap::new();
        let mut named = |map: &HashMap<String, String>, id: &std::sync::Arc<str>| {
            map.get(&**id).map(|name| {
                shared
                    .entry(name.clone())
                    .or_insert_with(|| std::sync::Arc::from(name.as_str()))
                    .clone()
            })
        };
        for mac in macs {
            if let Some(name) = named(&self.buildings, &mac.building) {
                mac.building = name;
            }
            if let Some(name) = named(&self.departments, &mac.department) {
                mac.department = name;
            }
        }
    }
}

/// An inventory file and how it is read.
enum InventoryFile {
    /// API pages (JSON).
    Pages(PathBuf),
    /// A computer search's CSV export.
    Search(PathBuf),
}

/// The inventory files of `paths`: a folder's API pages and CSV files; a
/// file by its content. Fails naming a path that cannot be read.
fn inventory_files(paths: &[PathBuf]) -> anyhow::Result<Vec<InventoryFile>> {
    let mut files = Vec::new();
    for path in paths {
        let metadata = std::fs::metadata(path)
            .map_err(|e| anyhow::anyhow!("--inventory {}: {e}", path.display()))?;
        if metadata.is_dir() {
            let sorted = sort(std::slice::from_ref(path)).map_err(|e| {
                anyhow::Error::msg(format!("{e:#}").replacen("--tenant", "--inventory", 1))
            })?;
            files.extend(
                sorted
                    .of(TenantKind::JamfInventory)
                    .into_iter()
                    .map(InventoryFile::Pages),
            );
            files.extend(
                sorted
                    .of(TenantKind::JamfSearch)
                    .into_iter()
                    .map(InventoryFile::Search),
            );
            // A CSV file that names no computer is read as a search too,
            // so that the report says why it was left out.
            files.extend(
                sorted
                    .skipped
                    .iter()
                    .filter(|(p, _)| is_csv(p))
                    .map(|(p, _)| InventoryFile::Search(p.clone())),
            );
            continue;
        }
        if let Some(why) = other_kind(
            path,
            &[TenantKind::JamfInventory, TenantKind::JamfSearch],
            "a Jamf Pro inventory (computers-inventory pages or a computer search CSV)",
        ) {
            anyhow::bail!("--inventory {}: {why}", path.display());
        }
        // A file of no kind known is read as what it starts as, so that
        // its reader says what is wrong with it.
        if is_csv(path) || !starts_as_json(path) {
            files.push(InventoryFile::Search(path.clone()));
        } else {
            files.push(InventoryFile::Pages(path.clone()));
        }
    }
    Ok(files)
}

fn is_csv(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"))
}

/// Whether the file's first non-space byte opens JSON.
fn starts_as_json(path: &Path) -> bool {
    let Ok(Some(file)) = crate::util::files::open_regular(path) else {
        return true;
    };
    let mut reader = std::io::BufReader::new(crate::tenant::exports::decode::utf8_reader(file));
    matches!(
        crate::tenant::exports::decode::first_non_space(&mut reader),
        Ok(Some(b'{' | b'['))
    )
}

/// The fleet report of `request`.
pub(crate) fn fleet_report(request: &FleetRequest) -> anyhow::Result<FleetReport> {
    let mut notes = Vec::new();
    let mut sources = Vec::new();
    let reader = Mutex::new(FleetReader::new(
        request.ea.as_deref(),
        request.ea_last_success.as_deref(),
    ));
    let files = inventory_files(&request.inventories)?;
    if files.is_empty() {
        return Err(anyhow::anyhow!(
            "--inventory {}: no Jamf Pro inventory in it (computers-inventory pages or a computer search CSV)",
            request
                .inventories
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let outcomes = read_inventories(&files, &reader);
    for outcome in outcomes {
        match outcome {
            Ok(source) => sources.push(source),
            Err(note) => notes.push(format!("{note:#}")),
        }
    }
    let reader = reader
        .into_inner()
        .map_err(|_| anyhow::anyhow!("the inventory could not be read"))?;
    if sources.is_empty() {
        // Nothing given could be read as an inventory: no report on nothing.
        return Err(anyhow::Error::msg(
            notes
                .first()
                .map(|why| format!("--inventory {}", why.trim_end_matches("; left out")))
                .unwrap_or_else(|| "--inventory: no computer could be read".to_string()),
        ));
    }
    let fleet = reader.finish()?;
    let mut macs = fleet.macs;
    PlaceNames::of(&request.inventories).apply(&mut macs);
    if fleet.status_attribute.is_none() {
        notes.push("no extension attribute of the inventory holds ca-doctor's values: each Mac is counted as no-value (name the attribute with --ea)".to_string());
    }
    add_compliance(
        request.tenant.of_kind(TenantKind::JamfCompliance),
        &mut macs,
        &mut sources,
    );
    let mut entra = EntraRecords::default();
    for path in request.tenant.of_kind(TenantKind::Devices) {
        let read = read_devices(path, &mut |device| entra.add(device));
        sources.push(format!(
            "{} ({} Entra devices)",
            path.display(),
            read.records
        ));
    }
    for path in request.tenant.of_kind(TenantKind::DeletedDevices) {
        let read = read_deleted_devices(path, &mut |device| entra.add_deleted(device));
        sources.push(format!(
            "{} ({} deleted Entra devices)",
            path.display(),
            read.records
        ));
    }
    for (path, why) in &request.tenant.skipped {
        notes.push(format!("{}: skipped: {why}", path.display()));
    }
    let chain = !request.tenant.of_kind(TenantKind::Devices).is_empty();
    let orphans = if chain {
        entra.join(&mut macs, request.now)
    } else {
        Vec::new()
    };
    count_chain_blocks(&mut macs);
    // A computer search names no device IDs: which Entra records no
    // computer reports is not known from it.
    let searched = files.iter().any(|f| matches!(f, InventoryFile::Search(_)));
    let orphans = (!searched).then_some(orphans);
    macs.sort_by(|a, b| {
        a.ea.status
            .cmp(&b.ea.status)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.id.cmp(&b.id))
    });
    let history = match &request.history {
        Some(folder) => Some(history::record(folder, request.now, &macs, &mut notes)?),
        None => None,
    };
    let summary = FleetSummary::of(&macs, request.now, chain, history);
    Ok(FleetReport {
        now: request.now,
        sources,
        ea_attribute: fleet.status_attribute,
        last_success_attribute: fleet.success_attribute,
        jamf_url: request.jamf_url.clone(),
        notes,
        summary,
        orphans,
        macs,
    })
}

/// Reads `files` into `reader` through the one reader pool; each file's
/// source line, or why it was left out, in the files' order.
fn read_inventories(
    files: &[InventoryFile],
    reader: &Mutex<FleetReader>,
) -> Vec<anyhow::Result<String>> {
    in_order(files.len(), |index| {
        let number = index as u32;
        let mut add = |computer: &crate::tenant::jamf_pro::inventory::JamfComputer| {
            if let Ok(mut reader) = reader.lock() {
                reader.add(number, computer);
            }
        };
        match &files[index] {
            InventoryFile::Pages(path) => {
                let read = read_inventory(path, &mut add);
                if read.refused {
                    let why = read
                        .input
                        .and_then(|i| i.reason)
                        .unwrap_or_else(|| "not an inventory".to_string());
                    Err(anyhow::anyhow!("{}: left out: {why}", path.display()))
                } else {
                    Ok(format!("{} ({} computers)", path.display(), read.records))
                }
            }
            InventoryFile::Search(path) => read_search_export(path, &mut add)
                .map(|read| format!("{} ({} computers)", path.display(), read.records))
                .map_err(|why| anyhow::anyhow!("{why}; left out")),
        }
    })
}

/// Sets each Mac's Jamf Pro compliance state from the records in `paths`
/// (the worst of its vendors' records).
fn add_compliance(paths: &[PathBuf], macs: &mut [FleetMac], sources: &mut Vec<String>) {
    if paths.is_empty() {
        return;
    }
    let mut states: HashMap<Box<str>, JamfComplianceState> = HashMap::new();
    let mut records = 0;
    for path in paths {
        let read = read_compliance(path, &mut |record| {
            let state = states
                .entry(record.computer_id.clone())
                .or_insert(record.state);
            if rank(record.state) < rank(*state) {
                *state = record.state;
            }
        });
        records += read.records;
    }
    sources.push(format!(
        "Jamf Pro compliance records: {records} in {} files",
        paths.len()
    ));
    for mac in macs {
        mac.compliance = states.get(&mac.id).copied();
    }
}

/// The worse, the lower.
fn rank(state: JamfComplianceState) -> u8 {
    match state {
        JamfComplianceState::NonCompliant => 0,
        JamfComplianceState::Unknown => 1,
        JamfComplianceState::Compliant => 2,
    }
}

/// The chain's findings with which Entra ID refuses the device whatever
/// the Mac says: its record deleted, disabled or not compliant.
const CHAIN_BLOCKS: [FindingId; 3] = [
    FindingId::DeviceRecordMissing,
    FindingId::DeviceDisabled,
    FindingId::DeviceNotCompliant,
];

/// Counts a Mac whose attribute says healthy or at-risk but whose Entra
/// record refuses it as `not-compliant`, the chain's finding its primary
/// cause (the attribute's causes after it).
fn count_chain_blocks(macs: &mut [FleetMac]) {
    for mac in macs {
        let said = mac.ea.status;
        let fine = matches!(said, AttributeStatus::Mac(Status::Healthy | Status::AtRisk));
        let block = CHAIN_BLOCKS.iter().find(|id| mac.chain.contains(id));
        let (true, Some(block)) = (fine, block) else {
            continue;
        };
        mac.attribute_said = Some(said);
        let mut causes: Vec<Box<str>> = vec![Box::from(block.as_str())];
        causes.extend(mac.ea.causes.iter().cloned());
        mac.ea = std::sync::Arc::new(EaValue {
            status: AttributeStatus::Mac(Status::NotCompliant),
            causes,
            reason: None,
        });
    }
}
