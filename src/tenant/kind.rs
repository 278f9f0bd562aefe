//! The tenant's kinds of record, in one table: how a file of each kind is
//! told from its content (file names vary: the keys of its first records
//! in JSON, its header in CSV), where Graph or Jamf Pro serves it, and the
//! name of its fetched files. One flag, `--tenant PATH`, takes every export
//! this way, files or folders; `fetch` asks for each kind where the table
//! says. A new tenant source is one row here and its reader.

use super::exports::decode::utf8_reader;
use super::exports::records::answer::is_answer;
use super::jamf_pro::search_columns::is_search_header;
use serde::Serialize;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Every kind of tenant record ca-doctor reads or fetches, in the order a
/// fetch asks for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
pub(crate) enum TenantKind {
    /// Entra sign-ins (`auditLogs/signIns`).
    #[value(name = "signins")]
    #[serde(rename = "signins")]
    SignIns,
    /// Conditional Access policies.
    #[serde(rename = "policies")]
    Policies,
    /// Entra device objects.
    #[serde(rename = "devices")]
    Devices,
    /// Entra's soft-deleted device objects (restorable for 30 days).
    #[value(name = "deleted-devices")]
    #[serde(rename = "deleted-devices")]
    DeletedDevices,
    /// Intune managed devices.
    #[serde(rename = "managed-devices")]
    ManagedDevices,
    /// Jamf Pro's computer inventory, then each computer's compliance record.
    #[value(name = "jamf")]
    #[serde(rename = "jamf-inventory")]
    JamfInventory,
    /// Jamf Pro's compliance records (fetched with `jamf`).
    #[value(skip)]
    #[serde(rename = "jamf-compliance")]
    JamfCompliance,
    /// An Advanced Computer Search exported as CSV (the fleet's inventory).
    #[value(skip)]
    #[serde(rename = "jamf-search")]
    JamfSearch,
    /// Jamf Pro's buildings, by ID (fetched beside the inventory).
    #[value(skip)]
    #[serde(rename = "jamf-buildings")]
    JamfBuildings,
    /// Jamf Pro's departments, by ID (fetched beside the inventory).
    #[value(skip)]
    #[serde(rename = "jamf-departments")]
    JamfDepartments,
}

/// One row of the kind table.
pub(crate) struct KindSpec {
    /// The kind.
    pub(crate) kind: TenantKind,
    /// Its name in `fetch.json` and messages; the stem of its fetched files.
    pub(crate) name: &'static str,
    /// What a file of it is, in words ("an Entra sign-ins export").
    pub(crate) what: &'static str,
    /// What reads a file of it, for one given where another belongs.
    pub(crate) read_by: &'static str,
    /// How a file of it is told from its content; `None`: not by content
    /// (a fixed file name: Jamf Pro's buildings and departments).
    pub(crate) recognise: Option<fn(&Keys) -> bool>,
    /// The one file a fetch writes of it, when its name is fixed.
    pub(crate) fixed_file: Option<&'static str>,
    /// Where it is fetched from.
    pub(crate) served: Served,
}

/// Where a kind is fetched from.
pub(crate) enum Served {
    /// A Graph collection.
    Graph(GraphSource),
    /// The Jamf Pro API (its paths are the Jamf client's).
    JamfPro,
    /// Nowhere: files only.
    Files,
}

/// A Graph collection: its path, the fields asked for, the filters sent.
pub(crate) struct GraphSource {
    /// The collection's path.
    pub(crate) path: &'static str,
    /// `$select`: the fields the reader reads (empty: every field).
    pub(crate) select: &'static str,
    /// `$top`, where Graph's default page is smaller than it allows.
    pub(crate) top: Option<u32>,
    /// The time field of `createdDateTime ge <since>`, for time-bound kinds.
    pub(crate) since: Option<&'static str>,
    /// The filter: groups joined by `and`, each group's terms by `or`;
    /// each term a selector and the field it is compared with.
    pub(crate) filter: &'static [&'static [(Selector, &'static str)]],
}

/// What a fetch may select records by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Selector {
    /// A user principal name.
    User,
    /// An Entra device ID.
    DeviceId,
    /// A device or computer name.
    Name,
    /// A serial number.
    Serial,
    /// An app ID.
    App,
}

/// The kind table, in the order a file's kind is tried (the first whose
/// recogniser holds wins: Intune's records name an Entra device ID too).
pub(crate) static KINDS: [KindSpec; 10] = [
    KindSpec {
        kind: TenantKind::ManagedDevices,
        name: "managed-devices",
        what: "an Intune managed devices export",
        read_by: "`--tenant` of check, analyze, device and fleet",
        recognise: Some(|keys| {
            keys.any(&["azureaddeviceid", "microsoftentradeviceid", "entradeviceid"])
                && keys.any(&[
                    "compliancestate",
                    "compliance",
                    "managementagent",
                    "managedby",
                    "serialnumber",
                    "devicename",
                ])
        }),
        fixed_file: None,
        served: Served::Graph(GraphSource {
            path: "/v1.0/deviceManagement/managedDevices",
            select: "id,deviceName,azureADDeviceId,serialNumber,complianceState,managementAgent,lastSyncDateTime,userPrincipalName,operatingSystem",
            top: None,
            since: None,
            filter: &[&[
                (Selector::DeviceId, "azureADDeviceId"),
                (Selector::Serial, "serialNumber"),
                (Selector::Name, "deviceName"),
            ]],
        }),
    },
    KindSpec {
        kind: TenantKind::JamfCompliance,
        name: "jamf-compliance",
        what: "a Jamf Pro compliance record export",
        read_by: "`--tenant` of check, analyze, device and fleet",
        recognise: Some(|keys| {
            keys.any(&["compliancevendor", "compliancevendordeviceinformation"])
        }),
        fixed_file: None,
        served: Served::JamfPro,
    },
    KindSpec {
        kind: TenantKind::JamfInventory,
        name: "jamf-inventory",
        what: "a Jamf Pro computer inventory export",
        read_by: "`fleet --inventory`, or `--tenant` of check, analyze, device and fleet",
        recognise: Some(|keys| {
            keys.any(&["computerazureactivedirectoryid", "localuseraccounts"])
                || (keys.has("general") && keys.any(&["udid", "hardware", "totalcount"]))
        }),
        fixed_file: None,
        served: Served::JamfPro,
    },
    KindSpec {
        kind: TenantKind::Policies,
        name: "policies",
        what: "a Conditional Access policy export",
        read_by: "`ca-doctor policies FILE`, or `--policies` of check, analyze and signins",
        recognise: Some(|keys| {
            keys.has("grantcontrols")
                || (keys.has("conditions") && keys.any(&["sessioncontrols", "state"]))
        }),
        fixed_file: None,
        served: Served::Graph(GraphSource {
            path: "/v1.0/identity/conditionalAccess/policies",
            select: "",
            top: None,
            since: None,
            filter: &[],
        }),
    },
    KindSpec {
        kind: TenantKind::SignIns,
        name: "signins",
        what: "an Entra sign-ins export",
        read_by: "`ca-doctor signins FILE`, or `--signins` of check, analyze and policies",
        recognise: Some(|keys| {
            keys.any(&[
                "correlationid",
                "requestid",
                "signinerrorcode",
                "appliedconditionalaccesspolicies",
            ]) || (keys.has("createddatetime")
                && keys.any(&["appid", "appdisplayname", "userprincipalname"]))
                || (keys.has("timegenerated") && keys.has("resulttype"))
        }),
        fixed_file: None,
        served: Served::Graph(GraphSource {
            path: "/v1.0/auditLogs/signIns",
            select: "",
            top: Some(1000),
            since: Some("createdDateTime"),
            filter: &[
                &[(Selector::User, "userPrincipalName")],
                &[(Selector::App, "appId")],
            ],
        }),
    },
    KindSpec {
        kind: TenantKind::DeletedDevices,
        name: "deleted-devices",
        what: "an export of Entra's deleted devices",
        read_by: "`--tenant` of check, analyze, device and fleet",
        recognise: Some(|keys| keys.has("deviceid") && keys.has("deleteddatetime")),
        fixed_file: None,
        served: Served::Graph(GraphSource {
            path: "/beta/directory/deletedItems/microsoft.graph.device",
            select: "id,deviceId,displayName,deletedDateTime,accountEnabled,operatingSystem,trustType",
            top: None,
            since: None,
            filter: &[&[
                (Selector::DeviceId, "deviceId"),
                (Selector::Name, "displayName"),
            ]],
        }),
    },
    KindSpec {
        kind: TenantKind::Devices,
        name: "devices",
        what: "an Entra devices export",
        read_by: "`--tenant` of check, analyze, device and fleet",
        recognise: Some(|keys| {
            keys.has("deviceid")
                && keys.any(&[
                    "trusttype",
                    "devicetrusttype",
                    "jointypetrusttype",
                    "approximatelastsignindatetime",
                    "approximatelastlogontimestamp",
                    "accountenabled",
                    "deviceostype",
                    "operatingsystem",
                ])
        }),
        fixed_file: None,
        served: Served::Graph(GraphSource {
            path: "/v1.0/devices",
            select: "id,deviceId,displayName,accountEnabled,isCompliant,isManaged,trustType,operatingSystem,operatingSystemVersion,approximateLastSignInDateTime,registrationDateTime,mdmAppId",
            top: None,
            since: None,
            filter: &[&[
                (Selector::DeviceId, "deviceId"),
                (Selector::Name, "displayName"),
            ]],
        }),
    },
    KindSpec {
        kind: TenantKind::JamfSearch,
        name: "jamf-search",
        what: "a Jamf Pro computer search export (CSV)",
        read_by: "`fleet --inventory`",
        recognise: Some(|keys| keys.csv() && is_search_header(keys.0.iter().map(String::as_str))),
        fixed_file: None,
        served: Served::Files,
    },
    KindSpec {
        kind: TenantKind::JamfBuildings,
        name: "jamf-buildings",
        what: "Jamf Pro's list of buildings",
        read_by: "`fleet`, beside the inventory",
        recognise: None,
        fixed_file: Some("jamf-buildings.json"),
        served: Served::JamfPro,
    },
    KindSpec {
        kind: TenantKind::JamfDepartments,
        name: "jamf-departments",
        what: "Jamf Pro's list of departments",
        read_by: "`fleet`, beside the inventory",
        recognise: None,
        fixed_file: Some("jamf-departments.json"),
        served: Served::JamfPro,
    },
];

impl TenantKind {
    /// Every kind a fetch can be asked for (`--what`), in the order fetched.
    pub(crate) const FETCHABLE: [TenantKind; 6] = [
        TenantKind::SignIns,
        TenantKind::Policies,
        TenantKind::Devices,
        TenantKind::DeletedDevices,
        TenantKind::ManagedDevices,
        TenantKind::JamfInventory,
    ];

    /// Its row of the kind table.
    pub(crate) fn spec(self) -> &'static KindSpec {
        KINDS
            .iter()
            .find(|spec| spec.kind == self)
            .unwrap_or(&KINDS[0])
    }

    /// Its name in `fetch.json` and messages; the stem of its files.
    pub(crate) fn name(self) -> &'static str {
        self.spec().name
    }

    /// Its Graph collection, when Graph serves it.
    pub(crate) fn graph(self) -> Option<&'static GraphSource> {
        match &self.spec().served {
            Served::Graph(source) => Some(source),
            _ => None,
        }
    }

    /// Whether Graph serves it.
    pub(crate) fn is_graph(self) -> bool {
        self.graph().is_some()
    }
}

/// Files a fetch writes beside the exports that are no export themselves:
/// `fetch.json`, and the kinds of fixed file name (Jamf Pro's building and
/// department names, which the fleet view reads). Left out of a folder
/// quietly.
pub(crate) fn is_fetch_own_file(name: &str) -> bool {
    name == "fetch.json" || KINDS.iter().any(|spec| spec.fixed_file == Some(name))
}

/// Why the file at `path`, given where a file of one of `wanted` (in
/// words: `wanted_what`) belongs, is of another kind: what it is and what
/// reads it. `None` when it is one of `wanted`, or of no kind known (its
/// reader then says what is wrong with it).
pub(crate) fn other_kind(path: &Path, wanted: &[TenantKind], wanted_what: &str) -> Option<String> {
    let kind = recognise(path).ok()?;
    if wanted.contains(&kind) {
        return None;
    }
    let spec = kind.spec();
    Some(format!(
        "this is {}, not {wanted_what}; {} reads it",
        spec.what, spec.read_by
    ))
}

/// What a file that is none of them is told.
pub(crate) const NOT_AN_EXPORT: &str = "not an export ca-doctor reads (Entra sign-ins, Conditional Access policies, Entra devices, Intune managed devices, Jamf Pro compliance information or computer inventory)";

/// Bytes of a file's beginning its kind is told from.
const HEAD: u64 = 32 << 10;
/// Folder levels walked below a `--tenant` folder.
const MAX_DEPTH: usize = 3;

/// The keys (normal form: ASCII letters and digits, lower case) a file's
/// beginning shows: JSON keys, or CSV columns.
pub(crate) struct Keys(BTreeSet<String>, bool);

impl Keys {
    /// Whether they are a CSV file's columns.
    fn csv(&self) -> bool {
        self.1
    }

    /// Whether `key` is among them.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.0.contains(key)
    }

    /// Whether any of `keys` is among them.
    pub(crate) fn any(&self, keys: &[&str]) -> bool {
        keys.iter().any(|key| self.has(key))
    }
}

/// The kind of the export at `path`.
pub(crate) fn recognise(path: &Path) -> anyhow::Result<TenantKind> {
    let file = match crate::util::files::open_regular(path) {
        Ok(Some(file)) => file,
        Ok(None) => return Err(anyhow::anyhow!("no such file")),
        Err(e) => return Err(anyhow::anyhow!("cannot open: {e}")),
    };
    let mut head = Vec::new();
    utf8_reader(file)
        .take(HEAD)
        .read_to_end(&mut head)
        .map_err(|e| anyhow::anyhow!("read failed: {e}"))?;
    let text = String::from_utf8_lossy(&head);
    kind_of(&text).ok_or_else(|| anyhow::anyhow!(NOT_AN_EXPORT))
}

/// The kind `text` (a file's beginning) shows: the first row of the table
/// whose recogniser holds.
fn kind_of(text: &str) -> Option<TenantKind> {
    let trimmed = text.trim_start();
    let json = trimmed.starts_with(['{', '[']);
    let keys = Keys(
        if json && is_answer(trimmed.as_bytes()) {
            answer_columns(trimmed)
        } else if json {
            json_keys(trimmed)
        } else {
            csv_header(trimmed)
        },
        !json,
    );
    KINDS
        .iter()
        .find(|spec| spec.recognise.is_some_and(|recognise| recognise(&keys)))
        .map(|spec| spec.kind)
}

/// The column names (normal form) of a Log Analytics query answer: its
/// records' keys.
fn answer_columns(text: &str) -> BTreeSet<String> {
    static NAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let name = NAME.get_or_init(|| {
        regex::Regex::new(r#""name"\s*:\s*"([^"\\]{1,200})""#)
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    });
    name.captures_iter(text)
        .map(|c| crate::tenant::exports::records::node::normal(&c[1]))
        .collect()
}

/// The keys (normal form) written in JSON text: every `"…":`.
fn json_keys(text: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(open) = memchr::memchr(b'"', &bytes[at..]).map(|i| at + i) {
        // The string's end, escapes aside.
        let mut end = open + 1;
        while end < bytes.len() && bytes[end] != b'"' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        if end >= bytes.len() {
            break;
        }
        let after = text[end + 1..].trim_start();
        if after.starts_with(':') && end - open < 80 {
            keys.insert(normal(&text[open + 1..end]));
        }
        at = end + 1;
    }
    keys
}

/// The columns (normal form) of a CSV header: the first line.
fn csv_header(text: &str) -> BTreeSet<String> {
    let line = text.lines().next().unwrap_or_default();
    line.split([',', ';', '\t']).map(normal).collect()
}

fn normal(key: &str) -> String {
    key.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The files of `--tenant` paths, each with its kind.
#[derive(Clone, Debug, Default)]
pub(crate) struct Sorted {
    /// Each export found, in the order given (a folder's files by name).
    pub(crate) files: Vec<(TenantKind, PathBuf)>,
    /// Files of a folder that are no export, and why (a folder may hold
    /// notes beside the exports).
    pub(crate) skipped: Vec<(PathBuf, String)>,
}

impl Sorted {
    /// The files of one kind.
    pub(crate) fn of(&self, kind: TenantKind) -> Vec<PathBuf> {
        self.files
            .iter()
            .filter(|(k, _)| *k == kind)
            .map(|(_, path)| path.clone())
            .collect()
    }
}

/// Tells the kind of every file of `paths` (folders walked, hidden files
/// and symbolic links left aside). A file named on the command line that
/// is no export, or cannot be read, is an error naming it.
pub(crate) fn sort(paths: &[PathBuf]) -> anyhow::Result<Sorted> {
    let mut sorted = Sorted::default();
    for path in paths {
        let metadata = std::fs::symlink_metadata(path)
            .map_err(|e| anyhow::anyhow!("--tenant {}: {e}", path.display()))?;
        if metadata.is_dir() {
            walk(path, &mut sorted);
            continue;
        }
        let kind =
            recognise(path).map_err(|why| anyhow::anyhow!("--tenant {}: {why}", path.display()))?;
        sorted.files.push((kind, path.clone()));
    }
    Ok(sorted)
}

fn walk(folder: &Path, sorted: &mut Sorted) {
    let Ok(listing) = crate::util::files::list_folder(folder, MAX_DEPTH) else {
        sorted
            .skipped
            .push((folder.to_path_buf(), "the folder could not be read".into()));
        return;
    };
    for path in listing.files {
        let own = path
            .file_name()
            .is_some_and(|name| is_fetch_own_file(&name.to_string_lossy()));
        if own {
            continue;
        }
        match recognise(&path) {
            Ok(kind) => sorted.files.push((kind, path)),
            Err(why) => sorted.skipped.push((path, format!("{why:#}"))),
        }
    }
    for folder in listing.unreadable {
        sorted
            .skipped
            .push((folder, "the folder could not be read".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::ValueEnum;

    #[test]
    fn the_table_holds_each_kind_once_and_names_what_a_fetch_writes() {
        for spec in &KINDS {
            let rows = KINDS.iter().filter(|other| other.kind == spec.kind).count();
            assert_eq!(rows, 1, "{:?}", spec.kind);
            assert!(std::ptr::eq(spec.kind.spec(), spec));
        }
        let names: Vec<&str> = TenantKind::FETCHABLE.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "signins",
                "policies",
                "devices",
                "deleted-devices",
                "managed-devices",
                "jamf-inventory"
            ]
        );
        let values: Vec<String> = TenantKind::value_variants()
            .iter()
            .filter_map(|k| k.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(
            values,
            [
                "signins",
                "policies",
                "devices",
                "deleted-devices",
                "managed-devices",
                "jamf"
            ]
        );
        assert_eq!(
            serde_json::to_string(&TenantKind::JamfInventory).unwrap(),
            "\"jamf-inventory\""
        );
        let graph: Vec<TenantKind> = TenantKind::FETCHABLE
            .into_iter()
            .filter(|k| k.is_graph())
            .collect();
        assert_eq!(graph.len(), 5);
        assert!(is_fetch_own_file("jamf-buildings.json") && is_fetch_own_file("fetch.json"));
        assert!(!is_fetch_own_file("jamf-inventory-0001.json"));
    }

    #[test]
    fn each_kind_from_its_content() {
        for (text, kind) in [
            (
                r#"{"value":[{"createdDateTime":"x","appId":"a","deviceDetail":{"deviceId":"d","trustType":"Workplace"}}]}"#,
                TenantKind::SignIns,
            ),
            (
                "Date (UTC),Request ID,User,Application ID\n",
                TenantKind::SignIns,
            ),
            (
                r#"[{"TimeGenerated":"x","ResultType":"0"}]"#,
                TenantKind::SignIns,
            ),
            (
                r#"{"value":[{"id":"p","displayName":"MFA","state":"enabled","conditions":{},"grantControls":null}]}"#,
                TenantKind::Policies,
            ),
            (
                r#"{"value":[{"id":"o","deviceId":"d","trustType":"Workplace","operatingSystem":"MacMDM"}]}"#,
                TenantKind::Devices,
            ),
            (
                "displayName,accountEnabled,operatingSystem,operatingSystemVersion,joinType (trustType),deviceId\n",
                TenantKind::Devices,
            ),
            (
                r#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#directory/deletedItems/microsoft.graph.device","value":[{"id":"o","deletedDateTime":"2026-11-12T10:00:00Z","deviceId":"d","accountEnabled":true}]}"#,
                TenantKind::DeletedDevices,
            ),
            (
                r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"TimeGenerated","type":"datetime"},{"name":"ResultType","type":"string"}],"rows":[]}]}"#,
                TenantKind::SignIns,
            ),
            (
                r#"[{"ObjectId":"o","DeviceId":"d","DeviceTrustType":"Workplace"}]"#,
                TenantKind::Devices,
            ),
            (
                r#"{"value":[{"id":"i","azureADDeviceId":"d","complianceState":"compliant","serialNumber":"S"}]}"#,
                TenantKind::ManagedDevices,
            ),
            (
                "Device ID,Device name,Azure AD Device ID,Serial number,Compliance\n",
                TenantKind::ManagedDevices,
            ),
            (
                r#"[{"deviceId":"1","applicable":true,"complianceState":"COMPLIANT","complianceVendor":"Intune"}]"#,
                TenantKind::JamfCompliance,
            ),
            (
                r#"{"totalCount":1,"results":[{"id":"1","general":{"name":"m"},"localUserAccounts":[]}]}"#,
                TenantKind::JamfInventory,
            ),
            (
                "\u{feff}Computer Name,Serial Number,CA Doctor: status\n",
                TenantKind::JamfSearch,
            ),
            ("Name;Last Check-in\n", TenantKind::JamfSearch),
            ("Computer Name\n", TenantKind::JamfSearch),
        ] {
            assert_eq!(kind_of(text), Some(kind), "{text}");
        }
        for text in [
            "",
            "2026-11-19 10:00:00.000 Df Jamf Conditional Access[1:2] hello",
            r#"{"a":1}"#,
            r#"[{"id":"1","name":"not a search: JSON"}]"#,
            "2026-11-19 10:00:00.000 Df agent[1:2] failed for id, name, again\n",
            "just,some,columns\n",
        ] {
            assert_eq!(kind_of(text), None, "{text}");
        }
    }

    #[test]
    fn folders_are_walked_and_named_files_that_are_no_export_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("b-devices.json"),
            r#"[{"deviceId":"d","accountEnabled":true}]"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("a-notes.txt"), "what I exported\n").unwrap();
        std::fs::write(dir.path().join(".DS_Store"), "x").unwrap();
        std::fs::create_dir(dir.path().join("jamf")).unwrap();
        std::fs::write(
            dir.path().join("jamf/12.json"),
            r#"[{"deviceId":"12","complianceState":"UNKNOWN","complianceVendor":"Intune"}]"#,
        )
        .unwrap();
        let sorted = sort(&[dir.path().to_path_buf()]).unwrap();
        let kinds: Vec<TenantKind> = sorted.files.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [TenantKind::Devices, TenantKind::JamfCompliance]);
        assert_eq!(sorted.skipped.len(), 1);
        assert!(sorted.skipped[0].0.ends_with("a-notes.txt"));
        let error = sort(&[dir.path().join("a-notes.txt")])
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("--tenant ")
                && error.contains("a-notes.txt: not an export ca-doctor reads"),
            "{error}"
        );
        let error = sort(&[dir.path().join("missing.json")])
            .unwrap_err()
            .to_string();
        assert!(error.contains("missing.json"), "{error}");
        // UTF-16 with a byte-order mark, as Windows PowerShell writes.
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                r#"[{"DeviceId":"d","DeviceOSType":"MacMDM"}]"#
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        std::fs::write(dir.path().join("mg.json"), utf16).unwrap();
        assert_eq!(
            recognise(&dir.path().join("mg.json")).ok(),
            Some(TenantKind::Devices)
        );
    }
}
