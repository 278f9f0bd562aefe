//! Which export a file is, told from its content (file names vary): the
//! keys of its first records in JSON, its header in CSV. One flag,
//! `--tenant PATH`, takes every export this way, files or folders.

use super::decode::utf8_reader;
use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The exports ca-doctor reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ExportKind {
    /// Entra sign-ins.
    SignIns,
    /// Conditional Access policies.
    Policies,
    /// Entra device objects.
    Devices,
    /// Intune managed devices.
    ManagedDevices,
    /// Jamf Pro's device-compliance information.
    JamfCompliance,
    /// Jamf Pro's computer inventory.
    JamfInventory,
}

/// What a file that is none of them is told.
pub(crate) const NOT_AN_EXPORT: &str = "not an export ca-doctor reads (Entra sign-ins, Conditional Access policies, Entra devices, Intune managed devices, Jamf Pro compliance information or computer inventory)";

/// Files a fetch writes beside the exports that are no export themselves:
/// left out of a folder quietly (what `fetch` did; Jamf Pro's building and
/// department names, which the fleet view reads).
pub(crate) const FETCH_OWN_FILES: [&str; 3] =
    ["fetch.json", "jamf-buildings.json", "jamf-departments.json"];

/// Bytes of a file's beginning its kind is told from.
const HEAD: u64 = 32 << 10;
/// Folder levels walked below a `--tenant` folder.
const MAX_DEPTH: usize = 3;

/// The kind of the export at `path`.
pub(crate) fn recognise(path: &Path) -> Result<ExportKind, String> {
    let file = match crate::util::files::open_regular(path) {
        Ok(Some(file)) => file,
        Ok(None) => return Err("no such file".to_string()),
        Err(e) => return Err(format!("cannot open: {e}")),
    };
    let mut head = Vec::new();
    utf8_reader(file)
        .take(HEAD)
        .read_to_end(&mut head)
        .map_err(|e| format!("read failed: {e}"))?;
    let text = String::from_utf8_lossy(&head);
    kind_of(&text).ok_or_else(|| NOT_AN_EXPORT.to_string())
}

/// The kind `text` (a file's beginning) shows.
fn kind_of(text: &str) -> Option<ExportKind> {
    let trimmed = text.trim_start();
    let keys = if trimmed.starts_with(['{', '[']) {
        json_keys(trimmed)
    } else {
        csv_header(trimmed)
    };
    let has = |key: &str| keys.contains(key);
    let any = |list: &[&str]| list.iter().any(|key| has(key));
    if any(&["azureaddeviceid", "microsoftentradeviceid", "entradeviceid"])
        && any(&[
            "compliancestate",
            "compliance",
            "managementagent",
            "managedby",
            "serialnumber",
            "devicename",
        ])
    {
        return Some(ExportKind::ManagedDevices);
    }
    if has("compliancevendor") || has("compliancevendordeviceinformation") {
        return Some(ExportKind::JamfCompliance);
    }
    if any(&["computerazureactivedirectoryid", "localuseraccounts"])
        || (has("general") && any(&["udid", "hardware", "totalcount"]))
    {
        return Some(ExportKind::JamfInventory);
    }
    if has("grantcontrols") || (has("conditions") && any(&["sessioncontrols", "state"])) {
        return Some(ExportKind::Policies);
    }
    if any(&[
        "correlationid",
        "requestid",
        "signinerrorcode",
        "appliedconditionalaccesspolicies",
    ]) || (has("createddatetime") && any(&["appid", "appdisplayname", "userprincipalname"]))
        || (has("timegenerated") && has("resulttype"))
    {
        return Some(ExportKind::SignIns);
    }
    if has("deviceid")
        && any(&[
            "trusttype",
            "devicetrusttype",
            "jointypetrusttype",
            "approximatelastsignindatetime",
            "approximatelastlogontimestamp",
            "accountenabled",
            "deviceostype",
            "operatingsystem",
        ])
    {
        return Some(ExportKind::Devices);
    }
    None
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
    pub(crate) files: Vec<(ExportKind, PathBuf)>,
    /// Files of a folder that are no export, and why (a folder may hold
    /// notes beside the exports).
    pub(crate) skipped: Vec<(PathBuf, String)>,
}

impl Sorted {
    /// The files of one kind.
    pub(crate) fn of(&self, kind: ExportKind) -> Vec<PathBuf> {
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
pub(crate) fn sort(paths: &[PathBuf]) -> Result<Sorted, String> {
    let mut sorted = Sorted::default();
    for path in paths {
        let metadata = std::fs::symlink_metadata(path)
            .map_err(|e| format!("--tenant {}: {e}", path.display()))?;
        if metadata.is_dir() {
            walk(path, 0, &mut sorted);
            continue;
        }
        let kind = recognise(path).map_err(|why| format!("--tenant {}: {why}", path.display()))?;
        sorted.files.push((kind, path.clone()));
    }
    Ok(sorted)
}

fn walk(folder: &Path, depth: usize, sorted: &mut Sorted) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        sorted
            .skipped
            .push((folder.to_path_buf(), "the folder could not be read".into()));
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || FETCH_OWN_FILES.contains(&name.as_str()) {
            continue;
        }
        match entry.file_type() {
            Ok(kind) if kind.is_dir() && depth < MAX_DEPTH => walk(&path, depth + 1, sorted),
            Ok(kind) if kind.is_file() => match recognise(&path) {
                Ok(kind) => sorted.files.push((kind, path)),
                Err(why) => sorted.skipped.push((path, why)),
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_from_its_content() {
        for (text, kind) in [
            (
                r#"{"value":[{"createdDateTime":"x","appId":"a","deviceDetail":{"deviceId":"d","trustType":"Workplace"}}]}"#,
                ExportKind::SignIns,
            ),
            (
                "Date (UTC),Request ID,User,Application ID\n",
                ExportKind::SignIns,
            ),
            (
                r#"[{"TimeGenerated":"x","ResultType":"0"}]"#,
                ExportKind::SignIns,
            ),
            (
                r#"{"value":[{"id":"p","displayName":"MFA","state":"enabled","conditions":{},"grantControls":null}]}"#,
                ExportKind::Policies,
            ),
            (
                r#"{"value":[{"id":"o","deviceId":"d","trustType":"Workplace","operatingSystem":"MacMDM"}]}"#,
                ExportKind::Devices,
            ),
            (
                "displayName,accountEnabled,operatingSystem,operatingSystemVersion,joinType (trustType),deviceId\n",
                ExportKind::Devices,
            ),
            (
                r#"[{"ObjectId":"o","DeviceId":"d","DeviceTrustType":"Workplace"}]"#,
                ExportKind::Devices,
            ),
            (
                r#"{"value":[{"id":"i","azureADDeviceId":"d","complianceState":"compliant","serialNumber":"S"}]}"#,
                ExportKind::ManagedDevices,
            ),
            (
                "Device ID,Device name,Azure AD Device ID,Serial number,Compliance\n",
                ExportKind::ManagedDevices,
            ),
            (
                r#"[{"deviceId":"1","applicable":true,"complianceState":"COMPLIANT","complianceVendor":"Intune"}]"#,
                ExportKind::JamfCompliance,
            ),
            (
                r#"{"totalCount":1,"results":[{"id":"1","general":{"name":"m"},"localUserAccounts":[]}]}"#,
                ExportKind::JamfInventory,
            ),
        ] {
            assert_eq!(kind_of(text), Some(kind), "{text}");
        }
        for text in [
            "",
            "2026-11-19 10:00:00.000 Df Jamf Conditional Access[1:2] hello",
            r#"{"a":1}"#,
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
        let kinds: Vec<ExportKind> = sorted.files.iter().map(|(k, _)| *k).collect();
        assert_eq!(kinds, [ExportKind::Devices, ExportKind::JamfCompliance]);
        assert_eq!(sorted.skipped.len(), 1);
        assert!(sorted.skipped[0].0.ends_with("a-notes.txt"));
        let error = sort(&[dir.path().join("a-notes.txt")]).unwrap_err();
        assert!(
            error.starts_with("--tenant ")
                && error.contains("a-notes.txt: not an export ca-doctor reads"),
            "{error}"
        );
        let error = sort(&[dir.path().join("missing.json")]).unwrap_err();
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
            recognise(&dir.path().join("mg.json")),
            Ok(ExportKind::Devices)
        );
    }
}
