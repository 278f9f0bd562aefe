//! Jamf Connect on the Mac: the login window's (`com.jamf.connect.login`)
//! and the menu bar's (`com.jamf.connect`, also Self Service+'s) settings,
//! the user's state, and the versions installed. For each key the user's
//! managed copy wins, then the computer's managed one, then the unmanaged
//! one. Absent everywhere: Jamf Connect is not in use, nothing to say.

use super::paths::SystemPaths;
use super::plist_values::{as_epoch_time, as_flag, as_text};
use super::prefs::read_dict;
use crate::inputs::InputRecord;
use chrono::{DateTime, FixedOffset};
use plist::{Dictionary, Value};
use serde::Serialize;
use std::path::Path;

/// The login window's domain.
const LOGIN: &str = "com.jamf.connect.login";
/// The menu bar's domain (Self Service+ too).
const MENU: &str = "com.jamf.connect";

/// Scopes every sign-in may ask for without naming a resource.
const DEFAULT_SCOPES: &[&str] = &["openid", "profile", "email", "offline_access"];

/// Jamf Connect 2.x's Info.plist (its version).
pub(crate) const JAMF_CONNECT_INFO: &str = "/Applications/Jamf Connect.app/Contents/Info.plist";
/// The login window plug-in's Info.plist.
pub(crate) const LOGIN_BUNDLE_INFO: &str =
    "/Library/Security/SecurityAgentPlugins/JamfConnectLogin.bundle/Contents/Info.plist";
/// Self Service+'s Info.plist (Jamf Connect 3.x's version).
pub(crate) const SELF_SERVICE_PLUS_INFO: &str =
    "/Applications/Self Service+.app/Contents/Info.plist";

/// What Jamf Connect's configuration says.
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct JamfConnect {
    /// `OIDCProvider` (login window).
    pub(crate) provider: Option<String>,
    /// `OIDCClientID`.
    pub(crate) client_id: Option<String>,
    /// `OIDCROPGID` (login window's password check).
    pub(crate) login_ropg_id: Option<String>,
    /// `ROPGProvider`, when the password check's provider is set apart.
    pub(crate) ropg_provider: Option<String>,
    /// `OIDCRedirectURI`.
    pub(crate) redirect_uri: Option<String>,
    /// `ROPGRedirectURI`.
    pub(crate) ropg_redirect_uri: Option<String>,
    /// `ROPGSuccessCodes`: Entra error codes the login window takes as a
    /// passed password check.
    pub(crate) login_success_codes: Vec<String>,
    /// `OIDCTenant` or `ROPGTenant`.
    pub(crate) login_tenant: Option<String>,
    /// `OIDCScopes`, split on `+` or spaces.
    pub(crate) login_scopes: Vec<String>,
    /// `IdPSettings` → `Provider` (menu bar).
    pub(crate) menu_provider: Option<String>,
    /// `IdPSettings` → `ROPGID`.
    pub(crate) menu_ropg_id: Option<String>,
    /// `IdPSettings` → `TenantID`.
    pub(crate) menu_tenant: Option<String>,
    /// `IdPSettings` → `Scopes` or `ROPGScopes`.
    pub(crate) menu_scopes: Vec<String>,
    /// `IdPSettings` → `SuccessCodes`.
    pub(crate) menu_success_codes: Vec<String>,
    /// `PasswordPolicies` → `NetworkCheck`, minutes (0 disables).
    pub(crate) network_check: Option<i64>,
    /// `PasswordPolicies` → `CheckOnNetworkChange`.
    pub(crate) check_on_network_change: Option<bool>,
    /// The custom API app of an ROPG scope `api://<app id>/jamfconnect`.
    pub(crate) custom_api_app: Option<String>,
    /// `PasswordCurrent` in the user's state.
    pub(crate) password_current: Option<bool>,
    /// `UserUPN` in the user's state.
    pub(crate) upn: Option<String>,
    /// `DisplayName` in the user's state.
    pub(crate) display_name: Option<String>,
    /// `LastSignIn` in the user's state.
    pub(crate) last_sign_in: Option<DateTime<FixedOffset>>,
    /// Jamf Connect 2.x's version (`Jamf Connect.app`).
    pub(crate) version_2: Option<String>,
    /// Self Service+'s version (Jamf Connect 3.x).
    pub(crate) version_3: Option<String>,
    /// The login window plug-in's version (`JamfConnectLogin.bundle`).
    pub(crate) login_version: Option<String>,
}

impl JamfConnect {
    /// Whether the provider is Entra ID (the checks only apply there).
    pub(crate) fn is_entra(&self) -> bool {
        [&self.provider, &self.ropg_provider, &self.menu_provider]
            .into_iter()
            .flatten()
            .any(|p| {
                let p = p.to_ascii_lowercase();
                p.starts_with("azure") || p == "entraid"
            })
    }

    /// Whether the ROPG password check asks only for the default scopes
    /// (`openid profile email`, none configured, no custom API scope): it
    /// then targets Microsoft's own resources, which every "All cloud apps"
    /// policy reaches whatever app it excludes.
    pub(crate) fn default_scopes_only(&self) -> bool {
        self.is_entra()
            && self.custom_api_app.is_none()
            && self
                .menu_scopes
                .iter()
                .chain(&self.login_scopes)
                .all(|s| DEFAULT_SCOPES.iter().any(|d| s.eq_ignore_ascii_case(d)))
    }

    /// The scopes configured, menu bar's then login window's.
    pub(crate) fn scopes(&self) -> Vec<&str> {
        self.menu_scopes
            .iter()
            .chain(&self.login_scopes)
            .map(String::as_str)
            .collect()
    }

    /// Every app ID configured: the clients, the ROPG apps, the custom API app.
    pub(crate) fn app_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = [
            &self.client_id,
            &self.login_ropg_id,
            &self.menu_ropg_id,
            &self.custom_api_app,
        ]
        .into_iter()
        .flatten()
        .map(|id| id.to_ascii_lowercase())
        .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}

/// The computer's Jamf Connect configuration under `root` (no user's own
/// settings): the tenant's Jamf Connect apps and scopes.
pub(crate) fn computer_configuration(paths: &SystemPaths) -> Option<JamfConnect> {
    read(paths, "", Path::new("/var/empty"), &mut Vec::new())
}

/// Scopes separated by `+` or white space.
pub(crate) fn split_scopes(text: &str) -> Vec<String> {
    text.split(|c: char| c == '+' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The app ID of a custom API scope `api://<app id>/jamfconnect`.
pub(crate) fn custom_api_app(scopes: &[String]) -> Option<String> {
    scopes.iter().find_map(|scope| {
        let rest = scope.strip_prefix("api://")?;
        let (app, name) = rest.split_once('/')?;
        name.eq_ignore_ascii_case("jamfconnect")
            .then(|| app.to_string())
    })
}

/// The value of `key` in the first of `dicts` that holds it.
fn first<'a>(dicts: &'a [Dictionary], key: &str) -> Option<&'a Value> {
    dicts.iter().find_map(|d| d.get(key))
}

/// A text value of the first dictionary that holds `key`.
fn text(dicts: &[Dictionary], key: &str) -> Option<String> {
    first(dicts, key)
        .and_then(as_text)
        .filter(|t| !t.is_empty())
}

/// A nested dictionary's value of `key`, from the first that holds the
/// nested dictionary `parent` with it.
fn nested<'a>(dicts: &'a [Dictionary], parent: &str, key: &str) -> Option<&'a Value> {
    dicts
        .iter()
        .filter_map(|d| d.get(parent).and_then(Value::as_dictionary))
        .find_map(|d| d.get(key))
}

/// The dictionaries of `domain`, in the order they win.
fn domain(
    paths: &SystemPaths,
    user: &str,
    home: &Path,
    domain: &str,
    inputs: &mut Vec<InputRecord>,
) -> Vec<Dictionary> {
    let file = format!("{domain}.plist");
    let places = [
        (
            "Jamf Connect user managed preferences",
            paths
                .mac_path(Path::new("/Library/Managed Preferences"))
                .join(user)
                .join(&file),
        ),
        (
            "Jamf Connect managed preferences",
            paths
                .mac_path(Path::new("/Library/Managed Preferences"))
                .join(&file),
        ),
        (
            "Jamf Connect preferences",
            paths
                .mac_path(Path::new("/Library/Preferences"))
                .join(&file),
        ),
        (
            "Jamf Connect user preferences",
            paths.mac_path(home).join("Library/Preferences").join(&file),
        ),
    ];
    places
        .iter()
        .filter(|(_, path)| path.exists())
        .filter_map(|(what, path)| read_dict(what, path, inputs))
        .collect()
}

/// Error codes written as an array (of strings or numbers) or one string
/// separated by commas or spaces.
fn codes(value: &Value) -> Vec<String> {
    match value {
        Value::Array(items) => items
            .iter()
            .filter(|item| !matches!(item, Value::Boolean(_)))
            .filter_map(as_text)
            .collect(),
        other => as_text(other)
            .map(|text| {
                text.split(|c: char| c == ',' || c.is_whitespace())
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// A sign-in time: a plist date, epoch seconds, or RFC 3339 text.
fn sign_in_time(value: &Value) -> Option<DateTime<FixedOffset>> {
    as_epoch_time(value)
        .or_else(|| as_text(value).and_then(|text| DateTime::parse_from_rfc3339(text.trim()).ok()))
}

/// A bundle's version, from its Info.plist.
fn version(paths: &SystemPaths, info: &str, inputs: &mut Vec<InputRecord>) -> Option<String> {
    let path = paths.mac_path(Path::new(info));
    if !path.exists() {
        return None;
    }
    read_dict("Jamf Connect Info.plist", &path, inputs)
        .and_then(|d| d.get("CFBundleShortVersionString").and_then(as_text))
}

/// Reads Jamf Connect's configuration for `user` (home `home`); `None` when
/// Jamf Connect is not configured on this Mac.
pub(crate) fn read(
    paths: &SystemPaths,
    user: &str,
    home: &Path,
    inputs: &mut Vec<InputRecord>,
) -> Option<JamfConnect> {
    let login = domain(paths, user, home, LOGIN, inputs);
    let menu = domain(paths, user, home, MENU, inputs);
    let state_path = paths
        .mac_path(home)
        .join("Library/Preferences/com.jamf.connect.state.plist");
    let state = if state_path.exists() {
        read_dict("Jamf Connect state", &state_path, inputs)
    } else {
        None
    };
    let version_2 = version(paths, JAMF_CONNECT_INFO, inputs);
    let version_3 = version(paths, SELF_SERVICE_PLUS_INFO, inputs);
    let login_version = version(paths, LOGIN_BUNDLE_INFO, inputs);
    if login.is_empty() && menu.is_empty() && state.is_none() {
        return None;
    }
    let login_scopes = text(&login, "OIDCScopes")
        .map(|s| split_scopes(&s))
        .unwrap_or_default();
    let menu_scopes = nested(&menu, "IdPSettings", "Scopes")
        .or_else(|| nested(&menu, "IdPSettings", "ROPGScopes"))
        .or_else(|| first(&menu, "ROPGScopes"))
        .and_then(as_text)
        .map(|s| split_scopes(&s))
        .unwrap_or_default();
    let custom_api_app = custom_api_app(&menu_scopes).or_else(|| custom_api_app(&login_scopes));
    let policies = |key: &str| nested(&menu, "PasswordPolicies", key);
    Some(JamfConnect {
        provider: text(&login, "OIDCProvider"),
        client_id: text(&login, "OIDCClientID"),
        login_ropg_id: text(&login, "OIDCROPGID").or_else(|| text(&login, "OIDCClientID")),
        ropg_provider: text(&login, "ROPGProvider"),
        redirect_uri: text(&login, "OIDCRedirectURI"),
        ropg_redirect_uri: text(&login, "ROPGRedirectURI"),
        login_success_codes: first(&login, "ROPGSuccessCodes")
            .map(codes)
            .unwrap_or_default(),
        login_tenant: text(&login, "ROPGTenant").or_else(|| text(&login, "OIDCTenant")),
        login_scopes,
        menu_provider: nested(&menu, "IdPSettings", "Provider").and_then(as_text),
        menu_ropg_id: nested(&menu, "IdPSettings", "ROPGID").and_then(as_text),
        menu_tenant: nested(&menu, "IdPSettings", "TenantID").and_then(as_text),
        menu_scopes,
        menu_success_codes: nested(&menu, "IdPSettings", "SuccessCodes")
            .map(codes)
            .unwrap_or_default(),
        network_check: policies("NetworkCheck")
            .and_then(as_text)
            .and_then(|t| t.parse().ok()),
        check_on_network_change: policies("CheckOnNetworkChange").and_then(as_flag),
        custom_api_app,
        password_current: state
            .as_ref()
            .and_then(|s| s.get("PasswordCurrent"))
            .and_then(as_flag),
        upn: state
            .as_ref()
            .and_then(|s| s.get("UserUPN"))
            .and_then(as_text),
        display_name: state
            .as_ref()
            .and_then(|s| s.get("DisplayName"))
            .and_then(as_text),
        last_sign_in: state
            .as_ref()
            .and_then(|s| s.get("LastSignIn"))
            .and_then(sign_in_time),
        version_2,
        version_3,
        login_version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_codes_and_sign_in_times_in_every_form() {
        assert_eq!(
            codes(&Value::String("50055, 50144 50158".into())),
            ["50055", "50144", "50158"]
        );
        assert_eq!(
            codes(&Value::Array(vec![
                Value::Integer(50055.into()),
                Value::Boolean(true),
                Value::String("50144".into())
            ])),
            ["50055", "50144"]
        );
        assert!(codes(&Value::Data(vec![1])).is_empty());
        let expected = DateTime::parse_from_rfc3339("2026-11-19T08:30:00Z").unwrap();
        assert_eq!(
            sign_in_time(&Value::String("2026-11-19T08:30:00Z".into())),
            Some(expected)
        );
        assert_eq!(
            sign_in_time(&Value::Integer(expected.timestamp().into())),
            Some(expected)
        );
        assert_eq!(sign_in_time(&Value::String("last tuesday".into())), None);
    }

    #[test]
    fn scopes_and_the_custom_api_app() {
        assert_eq!(
            split_scopes("openid+profile email"),
            ["openid", "profile", "email"]
        );
        let scopes = split_scopes("api://c0ffee00-1111-4222-8333-444455556666/jamfconnect openid");
        assert_eq!(
            custom_api_app(&scopes).as_deref(),
            Some("c0ffee00-1111-4222-8333-444455556666")
        );
        assert_eq!(custom_api_app(&split_scopes("openid profile email")), None);
    }
}
