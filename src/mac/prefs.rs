//! Readers of the preference and bundle plists that say whether a Mac is
//! registered, which integration it uses, and which versions decide the advice.

use super::paths::SystemPaths;
use super::plist_values::{as_epoch_time, as_flag, as_text};
use crate::inputs::{InputRecord, InputState};
use crate::util::files::read_capped;
use crate::util::version::Version;
use chrono::{DateTime, FixedOffset};
use plist::{Dictionary, Value};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;

/// Largest plist ca-doctor will parse; real ones are a few kilobytes.
const MAX_PLIST_BYTES: u64 = 16 * 1024 * 1024;

/// The integration an Entra app ID of the agent belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Integration {
    /// Jamf's legacy macOS Conditional Access.
    LegacyConditionalAccess,
    /// Device Compliance (the Intune partner).
    DeviceCompliance,
}

/// Jamf's "User registration app for Device Compliance".
pub(crate) const DEVICE_COMPLIANCE_APP: &str = "b03c10a8-71c7-45f9-b44a-3335ab76e970";

/// The Entra app IDs the agent authenticates against: the integration each
/// belongs to, and its name.
pub(crate) const INTEGRATION_APPS: &[(&str, Integration, &str)] = &[
    (
        "55d611b0-7d33-4d38-8df3-6041868930d7",
        Integration::LegacyConditionalAccess,
        "macOS Native Connector (Conditional Access, manual connection)",
    ),
    (
        "dd4f1d11-1200-4a1c-bccf-cb13e27467e6",
        Integration::LegacyConditionalAccess,
        "Cloud connector user registration app (Conditional Access, cloud connector)",
    ),
    (
        DEVICE_COMPLIANCE_APP,
        Integration::DeviceCompliance,
        "User registration app for Device Compliance",
    ),
    (
        "dcf07df3-346f-4f0e-b803-c1f0ea0fb5ae",
        Integration::DeviceCompliance,
        "Device Compliance (GCC High)",
    ),
];

/// Names the integration of an Entra app ID, ignoring case.
pub(crate) fn integration_name(app_id: &str) -> Option<&'static str> {
    integration_app(app_id).map(|(_, _, name)| *name)
}

/// The integration an Entra app ID belongs to, ignoring case.
pub(crate) fn integration_of(app_id: &str) -> Option<Integration> {
    integration_app(app_id).map(|(_, integration, _)| *integration)
}

fn integration_app(app_id: &str) -> Option<&'static (&'static str, Integration, &'static str)> {
    INTEGRATION_APPS
        .iter()
        .find(|(id, _, _)| id.eq_ignore_ascii_case(app_id.trim()))
}

/// Inputs most Macs do not have: their absence is normal, not worth a line.
pub(crate) const OPTIONAL_INPUTS: &[&str] = &[MANAGED_PREFS_INPUT, SSO_PAYLOAD_INPUT];

/// How the managed Extensible SSO payload is named in the input list.
const SSO_PAYLOAD_INPUT: &str = "managed SSO extension payload";

/// How the agent's managed preferences are named in the input list.
const MANAGED_PREFS_INPUT: &str = "agent managed preferences";

/// How the user's agent preferences are named in the input list.
pub(crate) const USER_PREFS_INPUT: &str = "user agent preferences";

/// Everything read from preference and bundle plists.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct PrefsFacts {
    /// The user's agent preferences were found and parsed.
    pub(crate) user_prefs_present: bool,
    /// `have_an_Azure_id` from the user's agent preferences.
    pub(crate) have_an_azure_id: Option<bool>,
    /// `last_aad_token_timestamp`, when it holds a real time.
    pub(crate) last_token_time: Option<DateTime<FixedOffset>>,
    /// `microsoftCAEnabled` from the computer-level Jamf settings.
    pub(crate) microsoft_ca_enabled: Option<bool>,
    /// `microsoftCANativeClientAppId`: the Entra app the agent signs in to.
    pub(crate) integration_app_id: Option<String>,
    /// The Entra tenant of Jamf Pro's integration: the computer-level Jamf
    /// settings' key naming a tenant whose value is a tenant ID.
    pub(crate) integration_tenant_id: Option<crate::util::guid::Guid>,
    /// Jamf framework version as written (= Jamf Pro version).
    pub(crate) jamf_pro_version_text: Option<String>,
    /// Jamf framework version, parsed.
    pub(crate) jamf_pro_version: Option<Version>,
    /// macOS `ProductVersion` as written.
    pub(crate) macos_version_text: Option<String>,
    /// macOS version, parsed.
    pub(crate) macos_version: Option<Version>,
    /// Managed preferences of the agent (key: value as text).
    pub(crate) managed_agent_prefs: BTreeMap<String, String>,
    /// The managed Extensible SSO payload, when the Mac has one.
    pub(crate) sso_payload: Option<crate::mac::sso_payload::SsoPayload>,
}

/// Reads every preference source for the user whose home is `home` under `paths`, recording each
/// input's fate so that unreadable files become findings rather than errors.
pub(crate) fn read_prefs(
    paths: &SystemPaths,
    home: &Path,
    inputs: &mut Vec<InputRecord>,
) -> PrefsFacts {
    let mut facts = PrefsFacts::default();

    if let Some(dict) = read_dict(USER_PREFS_INPUT, &paths.user_agent_prefs(home), inputs) {
        facts.user_prefs_present = true;
        facts.have_an_azure_id = dict.get("have_an_Azure_id").and_then(as_flag);
        facts.last_token_time = dict.get("last_aad_token_timestamp").and_then(as_epoch_time);
    }
    if let Some(dict) = read_dict("Jamf computer settings", &paths.jamf_prefs(), inputs) {
        facts.microsoft_ca_enabled = dict.get("microsoftCAEnabled").and_then(as_flag);
        facts.integration_app_id = dict
            .get("microsoftCANativeClientAppId")
            .and_then(as_text)
            .filter(|id| !id.is_empty());
        facts.integration_tenant_id = integration_tenant(&dict);
    }
    if let Some(dict) = read_dict(
        "Jamf framework Info.plist",
        &paths.jamf_info_plist(),
        inputs,
    ) {
        facts.jamf_pro_version_text = dict
            .get("CFBundleShortVersionString")
            .or_else(|| dict.get("CFBundleVersion"))
            .and_then(as_text);
        facts.jamf_pro_version = facts
            .jamf_pro_version_text
            .as_deref()
            .and_then(Version::parse);
    }
    if let Some(dict) = read_dict("macOS SystemVersion.plist", &paths.system_version(), inputs) {
        facts.macos_version_text = dict.get("ProductVersion").and_then(as_text);
        facts.macos_version = facts.macos_version_text.as_deref().and_then(Version::parse);
    }
    if let Some(dict) = read_dict(SSO_PAYLOAD_INPUT, &paths.managed_sso_payload(), inputs) {
        facts.sso_payload = Some(crate::mac::sso_payload::read(&dict));
    }
    if let Some(dict) = read_dict(MANAGED_PREFS_INPUT, &paths.managed_agent_prefs(), inputs) {
        facts.managed_agent_prefs = dict
            .iter()
            .filter_map(|(key, value)| as_text(value).map(|text| (key.clone(), text)))
            .collect();
    }
    facts
}

/// The Mac's computer name (`System` > `System` > `ComputerName` of the
/// system configuration preferences), when readable: the name Jamf Pro and
/// Entra ID know the Mac by.
pub(crate) fn read_computer_name(paths: &SystemPaths) -> Option<String> {
    let bytes = read_capped(&paths.system_configuration(), 1 << 20).ok()??;
    let value = crate::util::plist::parse(&bytes).ok()?;
    let name = value
        .as_dictionary()?
        .get("System")?
        .as_dictionary()?
        .get("System")?
        .as_dictionary()?
        .get("ComputerName")
        .and_then(as_text)?;
    (!name.is_empty()).then_some(name)
}

/// The tenant ID the computer-level Jamf settings hold: the value of the
/// first key (in name order, `microsoftCA…` keys first) whose name says
/// tenant and whose value is a GUID. The key's exact name is not
/// documented, so any such key is read.
fn integration_tenant(dict: &plist::Dictionary) -> Option<crate::util::guid::Guid> {
    let mut keys: Vec<&String> = dict
        .keys()
        .filter(|k| k.to_ascii_lowercase().contains("tenant"))
        .collect();
    keys.sort_by_key(|k| (!k.starts_with("microsoftCA"), k.to_string()));
    keys.into_iter()
        .filter_map(|k| dict.get(k).and_then(as_text))
        .find_map(|v| crate::util::guid::Guid::parse(v.trim()))
}

/// Reads a plist whose top level must be a dictionary, recording the outcome.
pub(crate) fn read_dict(
    what: &str,
    path: &Path,
    inputs: &mut Vec<InputRecord>,
) -> Option<Dictionary> {
    let (state, reason, dict) = match load_dict(path) {
        Ok(Some(dict)) => (InputState::Read, None, Some(dict)),
        Ok(None) => (InputState::Missing, None, None),
        Err(reason) => (InputState::Unreadable, Some(format!("{reason:#}")), None),
    };
    inputs.push(InputRecord {
        what: what.to_string(),
        path: path.display().to_string(),
        state,
        reason,
    });
    dict
}

/// `Ok(None)` when the file is absent; `Err(reason)` when it exists but is not
/// a readable plist dictionary.
fn load_dict(path: &Path) -> anyhow::Result<Option<Dictionary>> {
    let Some(bytes) = read_capped(path, MAX_PLIST_BYTES)? else {
        return Ok(None);
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(anyhow::anyhow!("the file is empty"));
    }
    let value =
        crate::util::plist::parse(&bytes).map_err(|e| anyhow::anyhow!("not a valid plist: {e}"))?;
    match value {
        Value::Dictionary(dict) => Ok(Some(dict)),
        _ => Err(anyhow::anyhow!("the plist's top level is not a dictionary")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write_plist(root: &Path, relative: &Path, dict: Dictionary, binary: bool) {
        let path = root.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let value = Value::Dictionary(dict);
        if binary {
            value.to_file_binary(&path).unwrap();
        } else {
            value.to_file_xml(&path).unwrap();
        }
    }

    fn setup() -> (tempfile::TempDir, SystemPaths, &'static Path) {
        let dir = tempfile::tempdir().unwrap();
        let paths = SystemPaths::new(dir.path());
        (dir, paths, Path::new("/Users/test.user"))
    }

    #[test]
    fn reads_binary_user_prefs_with_string_types() {
        let (dir, paths, user) = setup();
        let mut dict = Dictionary::new();
        dict.insert("have_an_Azure_id".into(), Value::String("1".into()));
        dict.insert(
            "last_aad_token_timestamp".into(),
            Value::String("1795168800".into()),
        );
        let relative = paths
            .user_agent_prefs(user)
            .strip_prefix(dir.path())
            .unwrap()
            .to_path_buf();
        write_plist(dir.path(), &relative, dict, true);
        let mut inputs = Vec::new();
        let facts = read_prefs(&paths, user, &mut inputs);
        assert!(facts.user_prefs_present);
        assert_eq!(facts.have_an_azure_id, Some(true));
        assert_eq!(facts.last_token_time.unwrap().timestamp(), 1_795_168_800);
    }

    #[test]
    fn remediation_zero_string_means_never() {
        let (dir, paths, user) = setup();
        let mut dict = Dictionary::new();
        dict.insert("have_an_Azure_id".into(), Value::Integer(0.into()));
        dict.insert("last_aad_token_timestamp".into(), Value::String("0".into()));
        let relative = paths
            .user_agent_prefs(user)
            .strip_prefix(dir.path())
            .unwrap()
            .to_path_buf();
        write_plist(dir.path(), &relative, dict, false);
        let facts = read_prefs(&paths, user, &mut Vec::new());
        assert_eq!(facts.have_an_azure_id, Some(false));
        assert_eq!(facts.last_token_time, None);
    }

    #[test]
    fn versions_and_integration() {
        let (dir, paths, user) = setup();
        let mut jamf = Dictionary::new();
        jamf.insert("microsoftCAEnabled".into(), Value::Boolean(true));
        jamf.insert(
            "microsoftCANativeClientAppId".into(),
            Value::String("B03C10A8-71C7-45F9-B44A-3335AB76E970".into()),
        );
        write_plist(
            dir.path(),
            Path::new("Library/Preferences/com.jamfsoftware.jamf.plist"),
            jamf,
            true,
        );
        let mut info = Dictionary::new();
        info.insert(
            "CFBundleShortVersionString".into(),
            Value::String("11.4.1-t1712345".into()),
        );
        write_plist(
            dir.path(),
            Path::new("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist"),
            info,
            false,
        );
        let mut system = Dictionary::new();
        system.insert("ProductVersion".into(), Value::String("14.2.1".into()));
        write_plist(
            dir.path(),
            Path::new("System/Library/CoreServices/SystemVersion.plist"),
            system,
            false,
        );
        let facts = read_prefs(&paths, user, &mut Vec::new());
        assert_eq!(facts.microsoft_ca_enabled, Some(true));
        assert_eq!(
            integration_name(facts.integration_app_id.as_deref().unwrap()),
            Some("User registration app for Device Compliance")
        );
        assert_eq!(facts.jamf_pro_version, Some(Version::new(11, 4, 1)));
        assert_eq!(facts.macos_version, Some(Version::new(14, 2, 1)));
        assert!(!facts.user_prefs_present);
    }

    #[test]
    fn the_integration_s_tenant_is_any_tenant_key_holding_a_guid() {
        let mut dict = Dictionary::new();
        assert_eq!(integration_tenant(&dict), None);
        dict.insert("tenantName".into(), Value::String("contoso".into()));
        assert_eq!(integration_tenant(&dict), None, "no GUID: no tenant");
        dict.insert(
            "zTenantID".into(),
            Value::String("11111111-2222-4333-8444-555555555555".into()),
        );
        dict.insert(
            "microsoftCATenantId".into(),
            Value::String(" AFB714DE-F42C-41F2-802F-65B2911DD346 ".into()),
        );
        assert_eq!(
            integration_tenant(&dict).unwrap().to_string(),
            "afb714de-f42c-41f2-802f-65b2911dd346",
            "the integration's own key first"
        );
    }

    #[test]
    fn unreadable_files_are_recorded_not_fatal() {
        let (dir, paths, user) = setup();
        let path = paths.user_agent_prefs(user);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, b"\x00\x01garbage").unwrap();
        fs::create_dir_all(paths.jamf_prefs()).unwrap();
        let array_plist = dir
            .path()
            .join("System/Library/CoreServices/SystemVersion.plist");
        fs::create_dir_all(array_plist.parent().unwrap()).unwrap();
        Value::Array(vec![]).to_file_xml(&array_plist).unwrap();
        let mut inputs = Vec::new();
        let facts = read_prefs(&paths, user, &mut inputs);
        assert!(!facts.user_prefs_present);
        let unreadable: Vec<_> = inputs
            .iter()
            .filter(|i| i.state == InputState::Unreadable)
            .collect();
        assert_eq!(unreadable.len(), 3, "{inputs:?}");
        assert!(inputs.iter().any(|i| i.state == InputState::Missing));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 200, ..Default::default() })]

        #[test]
        fn random_plists_never_panic(
            data in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..512),
            xml in proptest::prelude::any::<bool>(),
        ) {
            let (_dir, paths, user) = setup();
            let target = paths.user_agent_prefs(user);
            fs::create_dir_all(target.parent().unwrap()).unwrap();
            let mut bytes = if xml {
                b"<?xml version=\"1.0\"?><plist><dict>".to_vec()
            } else {
                b"bplist00".to_vec()
            };
            bytes.extend_from_slice(&data);
            fs::write(&target, &bytes).unwrap();
            let mut inputs = Vec::new();
            let _ = read_prefs(&paths, user, &mut inputs);
            proptest::prop_assert!(!inputs.is_empty());
        }
    }
}
