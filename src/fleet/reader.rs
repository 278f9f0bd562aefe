//! Inventory records into fleet Macs as they stream: each computer's
//! fields kept, and of its extension attributes only those that can be
//! ca-doctor's (a value in its grammar, a name asked for, a last-success
//! date), so that memory follows the fleet, not its inventory's size. Once
//! all is read, the status attribute is chosen: the one named with `--ea`,
//! else the only one whose values follow ca-doctor's grammar.

use super::{AccountState, FleetAccount, FleetMac};
use crate::attribute::{AttributeStatus, EaValue};
use crate::tenant::exports::records::node::parse_time;
use crate::tenant::jamf_pro::inventory::JamfComputer;
use std::collections::HashMap;
use std::sync::Arc;

/// Values outside the grammar kept of an attribute beyond its values in
/// the grammar: an attribute most of whose values are ca-doctor's keeps
/// the others (an older script's, hand edits) to show them as
/// unrecognised; another attribute's values stop being kept past this.
const OUTSIDE_GRAMMAR_KEPT: u64 = 1000;

/// Candidate status attributes named in the error that asks for `--ea`.
const MAX_NAMED_CANDIDATES: usize = 5;

/// How an attribute's values looked across the fleet.
#[derive(Clone, Copy, Debug, Default)]
struct AttributeCounts {
    /// Values in ca-doctor's grammar.
    in_grammar: u64,
    /// Other values.
    other: u64,
    /// Its values are kept whatever they are: the attribute was named, or
    /// its name says "last success".
    keep_all: bool,
    /// Values outside the grammar were met and not kept (past
    /// [`OUTSIDE_GRAMMAR_KEPT`]).
    dropped: bool,
}

/// Texts many Macs share, each held once.
#[derive(Default)]
struct Shared {
    texts: HashMap<Box<str>, Arc<str>>,
}

impl Shared {
    fn get(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.texts.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.texts.insert(text.into(), Arc::clone(&shared));
        shared
    }
}

/// Collects the fleet from inventory records.
pub(crate) struct FleetReader {
    /// `--ea` as given, for messages.
    status_given: Option<String>,
    status_name: Option<String>,
    success_name: Option<String>,
    names: Vec<Box<str>>,
    numbers: HashMap<Box<str>, u32>,
    counts: Vec<AttributeCounts>,
    shared: Shared,
    macs: Vec<FleetMac>,
    /// Each Mac's kept values: attribute number and value.
    values: Vec<Vec<(u32, Arc<str>)>>,
    /// Each Mac's file (files may be read at once: the later file's record
    /// of a computer wins, whatever the order they were read in).
    files: Vec<u32>,
}

/// The fleet read, its attributes chosen.
#[derive(Debug)]
pub(crate) struct ReadFleet {
    /// Every Mac.
    pub(crate) macs: Vec<FleetMac>,
    /// The status attribute's name.
    pub(crate) status_attribute: Option<String>,
    /// The last-success attribute's name.
    pub(crate) success_attribute: Option<String>,
}

impl FleetReader {
    /// A reader looking for the status attribute `status_name` (`--ea`;
    /// none: found by its values) and the last-success one `success_name`.
    pub(crate) fn new(status_name: Option<&str>, success_name: Option<&str>) -> FleetReader {
        FleetReader {
            status_given: status_name.map(str::to_string),
            status_name: status_name.map(str::to_lowercase),
            success_name: success_name.map(str::to_lowercase),
            names: Vec::new(),
            numbers: HashMap::new(),
            counts: Vec::new(),
            shared: Shared::default(),
            macs: Vec::new(),
            values: Vec::new(),
            files: Vec::new(),
        }
    }

    fn number(&mut self, name: &str) -> u32 {
        if let Some(number) = self.numbers.get(name) {
            return *number;
        }
        let number = self.names.len() as u32;
        let lower = name.to_lowercase();
        let asked = self.status_name.as_deref() == Some(lower.as_str())
            || self.success_name.as_deref() == Some(lower.as_str());
        let success_like = lower.contains("last success") || lower.contains("last-success");
        self.names.push(name.into());
        self.numbers.insert(name.into(), number);
        self.counts.push(AttributeCounts {
            keep_all: asked || success_like,
            ..AttributeCounts::default()
        });
        number
    }

    /// Adds one computer of file number `file` (a record of the same ID in
    /// a later file, or later in the same file, replaces it).
    pub(crate) fn add(&mut self, file: u32, computer: &JamfComputer) {
        let mut values = Vec::new();
        for (name, value) in &computer.extension_attributes {
            let number = self.number(name);
            let in_grammar = EaValue::parse(value).is_some();
            let counts = &mut self.counts[number as usize];
            if in_grammar {
                counts.in_grammar += 1;
            } else {
                counts.other += 1;
                if counts.other > counts.in_grammar + OUTSIDE_GRAMMAR_KEPT {
                    counts.dropped = true;
                }
            }
            if in_grammar || counts.keep_all || !counts.dropped {
                values.push((number, self.shared.get(value)));
            }
        }
        let no_value = self.no_value();
        self.macs.push(FleetMac {
            id: computer.id.clone(),
            name: computer.name.clone(),
            serial: computer.serial.clone(),
            ea: no_value,
            ea_text: None,
            last_success: None,
            macos: self.shared.get(&computer.os_version),
            jamf_version: self.shared.get(&computer.jamf_version),
            building: self.shared.get(&computer.building),
            department: self.shared.get(&computer.department),
            last_inventory: computer.report_date,
            last_check_in: computer.last_contact,
            accounts: computer
                .accounts
                .iter()
                .map(|a| FleetAccount {
                    username: a.username.clone(),
                    device_id: a.device_id,
                    state: AccountState::of(&a.state),
                })
                .collect(),
            compliance: None,
            chain: Vec::new(),
            attribute_said: None,
        });
        values.shrink_to_fit();
        self.values.push(values);
        self.files.push(file);
    }

    /// The status of a Mac without a value, shared.
    fn no_value(&mut self) -> Arc<EaValue> {
        static NO_VALUE: std::sync::OnceLock<Arc<EaValue>> = std::sync::OnceLock::new();
        Arc::clone(NO_VALUE.get_or_init(|| Arc::new(EaValue::plain(AttributeStatus::NoValue))))
    }

    /// The attribute named `name` (any case).
    fn find(&self, name: &str) -> Option<u32> {
        self.names
            .iter()
            .position(|n| n.eq_ignore_ascii_case(name))
            .map(|i| i as u32)
    }

    /// The status attribute: `--ea`'s, else the only one most of whose
    /// values follow ca-doctor's grammar.
    fn status_attribute(&self) -> anyhow::Result<Option<u32>> {
        if let Some(name) = &self.status_given {
            return match self.find(name) {
                Some(number) => Ok(Some(number)),
                None => Err(anyhow::anyhow!(
                    "--ea {name}: no computer of the inventory has this extension attribute{}",
                    self.listed(|_| true)
                )),
            };
        }
        let candidates: Vec<u32> = (0..self.names.len() as u32)
            .filter(|n| {
                let c = self.counts[*n as usize];
                c.in_grammar > c.other
            })
            .collect();
        match candidates.as_slice() {
            [] => Ok(None),
            [only] => Ok(Some(*only)),
            several => {
                // The few that fit best (most values in ca-doctor's
                // grammar), and how many more: never a line per attribute.
                let mut best = several.to_vec();
                best.sort_by_key(|n| std::cmp::Reverse(self.counts[*n as usize].in_grammar));
                let named: Vec<String> = best
                    .iter()
                    .take(MAX_NAMED_CANDIDATES)
                    .map(|n| {
                        format!(
                            "\"{}\" ({} Macs)",
                            self.names[*n as usize], self.counts[*n as usize].in_grammar
                        )
                    })
                    .collect();
                let more = match several.len().saturating_sub(MAX_NAMED_CANDIDATES) {
                    0 => String::new(),
                    more => format!(" and {more} more"),
                };
                Err(anyhow::anyhow!(
                    "several extension attributes hold ca-doctor's values: {}{more}; name one with --ea",
                    named.join(", ")
                ))
            }
        }
    }

    /// `: a, b, …` of the attribute names `keep` keeps (at most 20).
    fn listed(&self, keep: impl Fn(&str) -> bool) -> String {
        let names: Vec<&str> = self
            .names
            .iter()
            .map(|n| &**n)
            .filter(|n| keep(n))
            .collect();
        if names.is_empty() {
            return " (it has none)".to_string();
        }
        let shown: Vec<String> = names.iter().take(20).map(|n| format!("\"{n}\"")).collect();
        let more = names.len().saturating_sub(20);
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!(" (its attributes: {}{more})", shown.join(", "))
    }

    /// The last-success attribute: the one named, else the one whose name
    /// says "last success".
    fn success_attribute(&self) -> Option<u32> {
        match &self.success_name {
            Some(name) => self.find(name),
            None => (0..self.names.len() as u32).find(|n| {
                let name = self.names[*n as usize].to_lowercase();
                name.contains("last success") || name.contains("last-success")
            }),
        }
    }

    /// The fleet, each Mac's status and last success read from the chosen
    /// attributes (in place; a later record of a computer replaces it).
    pub(crate) fn finish(self) -> anyhow::Result<ReadFleet> {
        let status = self.status_attribute()?;
        let success = self.success_attribute();
        let status_name = status.map(|n| self.names[n as usize].to_string());
        let success_name = success.map(|n| self.names[n as usize].to_string());
        let mut macs = self.macs;
        let mut read: HashMap<Arc<str>, Arc<EaValue>> = HashMap::new();
        for (mac, values) in macs.iter_mut().zip(self.values) {
            for (number, value) in values {
                if Some(number) == status {
                    let parsed =
                        read.entry(Arc::clone(&value))
                            .or_insert_with(|| {
                                Arc::new(EaValue::parse(&value).unwrap_or_else(|| {
                                    EaValue::plain(AttributeStatus::Unrecognised)
                                }))
                            })
                            .clone();
                    if parsed.status == AttributeStatus::Unrecognised {
                        mac.ea_text = Some(Box::from(&*value));
                    }
                    mac.ea = parsed;
                } else if Some(number) == success {
                    mac.last_success = parse_time(&value);
                }
            }
        }
        // A later record of the same computer replaces the earlier one.
        let mut last: HashMap<Box<str>, usize> = HashMap::with_capacity(macs.len());
        for (index, mac) in macs.iter().enumerate() {
            let file = self.files[index];
            match last.get(&mac.id) {
                Some(kept) if self.files[*kept] > file => {}
                _ => {
                    last.insert(mac.id.clone(), index);
                }
            }
        }
        if last.len() < macs.len() {
            let mut index = 0;
            macs.retain(|mac| {
                let keep = last.get(&mac.id) == Some(&index);
                index += 1;
                keep
            });
        }
        Ok(ReadFleet {
            macs,
            status_attribute: status_name,
            success_attribute: success_name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verdict::Status;

    fn computer(id: &str, attributes: &[(&str, &str)]) -> JamfComputer {
        JamfComputer {
            id: id.into(),
            name: format!("Mac {id}").into(),
            serial: "".into(),
            report_date: None,
            last_contact: None,
            email: "".into(),
            os_version: "15.1".into(),
            jamf_version: "".into(),
            building: "".into(),
            department: "".into(),
            accounts: Vec::new(),
            extension_attributes: attributes
                .iter()
                .map(|(n, v)| (Box::from(*n), Box::from(*v)))
                .collect(),
        }
    }

    fn read(computers: &[JamfComputer], ea: Option<&str>) -> anyhow::Result<ReadFleet> {
        let mut reader = FleetReader::new(ea, None);
        for c in computers {
            reader.add(0, c);
        }
        reader.finish()
    }

    #[test]
    fn the_attribute_in_ca_doctor_s_grammar_is_found_by_its_values() {
        let fleet = read(
            &[
                computer(
                    "1",
                    &[
                        ("Battery", "Normal"),
                        ("CA: status", "healthy"),
                        ("CA: last success", "2026-11-19 10:00:00"),
                    ],
                ),
                computer(
                    "2",
                    &[
                        ("Battery", "Service"),
                        ("CA: status", "deactivated: silent-auth-failed"),
                    ],
                ),
                computer("3", &[("CA: status", "not installed")]),
                computer("4", &[("Battery", "Normal")]),
            ],
            None,
        )
        .unwrap();
        assert_eq!(fleet.status_attribute.as_deref(), Some("CA: status"));
        assert_eq!(fleet.success_attribute.as_deref(), Some("CA: last success"));
        let statuses: Vec<AttributeStatus> = fleet.macs.iter().map(|m| m.ea.status).collect();
        assert_eq!(
            statuses,
            [
                AttributeStatus::Mac(Status::Healthy),
                AttributeStatus::Mac(Status::Deactivated),
                AttributeStatus::NotInstalled,
                AttributeStatus::NoValue
            ]
        );
        assert_eq!(
            fleet.macs[0].last_success.unwrap().to_rfc3339(),
            "2026-11-19T10:00:00+00:00"
        );
    }

    #[test]
    fn a_named_attribute_keeps_values_outside_the_grammar_and_ambiguity_is_an_error() {
        let computers = [
            computer(
                "1",
                &[
                    ("Old EA", "healthy"),
                    ("New EA", "at-risk: token-cache-corrupt"),
                ],
            ),
            computer("2", &[("Old EA", "garbage"), ("New EA", "healthy")]),
            computer("2", &[("Old EA", "healthy"), ("New EA", "deactivated")]),
        ];
        let fleet = read(&computers, Some("old ea")).unwrap();
        assert_eq!(
            fleet.macs.len(),
            2,
            "the later record of a computer replaces it"
        );
        assert_eq!(
            fleet.macs[1].ea.status,
            AttributeStatus::Mac(Status::Healthy)
        );
        let fleet = read(&computers[..2], Some("Old EA")).unwrap();
        assert_eq!(fleet.macs[1].ea.status, AttributeStatus::Unrecognised);
        assert_eq!(fleet.macs[1].ea_text.as_deref(), Some("garbage"));
        let error = read(&[computers[0].clone(), computers[2].clone()], None)
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "several extension attributes hold ca-doctor's values: \"Old EA\" (2 Macs), \"New EA\" (2 Macs); name one with --ea"
        );
        let error = read(&computers, Some("Missing")).unwrap_err().to_string();
        assert!(error.starts_with("--ea Missing: no computer of the inventory has this extension attribute (its attributes: \"Old EA\", \"New EA\")"), "{error}");
        // No attribute of ca-doctor's at all: no status attribute.
        let fleet = read(&[computer("9", &[("Battery", "Normal")])], None).unwrap();
        assert_eq!(fleet.status_attribute, None);
    }
}
