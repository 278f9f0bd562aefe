//! The managed Extensible SSO payload (`/Library/Managed Preferences/
//! com.apple.extensiblesso.plist`): which SSO extension the Mac is given,
//! and whether its Platform SSO part is set (with its authentication
//! method). Read tolerantly: the keys are looked for at the top level and
//! inside nested dictionaries and arrays, whatever their case.

use plist::{Dictionary, Value};
use serde::Serialize;

/// Microsoft's Enterprise SSO extension (Company Portal), as a payload names it.
pub(crate) const MICROSOFT_SSO_EXTENSION: &str = "com.microsoft.CompanyPortalMac.ssoextension";

/// What the managed SSO payload says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct SsoPayload {
    /// `ExtensionIdentifier`.
    pub(crate) extension_identifier: Option<String>,
    /// Whether a `PlatformSSO` dictionary is set.
    pub(crate) platform_sso: bool,
    /// `PlatformSSO` > `AuthenticationMethod` (`UserSecureEnclaveKey`,
    /// `Password`, `SmartCard`).
    pub(crate) authentication_method: Option<String>,
}

impl SsoPayload {
    /// Whether the payload gives Microsoft's SSO extension.
    pub(crate) fn is_microsofts(&self) -> bool {
        self.extension_identifier
            .as_deref()
            .is_some_and(|id| id.eq_ignore_ascii_case(MICROSOFT_SSO_EXTENSION))
    }
}

/// Most nested levels looked into.
const MAX_DEPTH: usize = 8;

/// Reads the payload's dictionary.
pub(crate) fn read(dict: &Dictionary) -> SsoPayload {
    let mut payload = SsoPayload::default();
    visit(dict, &mut payload, 0);
    payload
}

fn visit(dict: &Dictionary, payload: &mut SsoPayload, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    for (key, value) in dict {
        if key.eq_ignore_ascii_case("ExtensionIdentifier") {
            if let Some(text) = value.as_string().map(str::trim).filter(|t| !t.is_empty())
                && payload.extension_identifier.is_none()
            {
                payload.extension_identifier = Some(text.to_string());
            }
            continue;
        }
        if key.eq_ignore_ascii_case("PlatformSSO")
            && let Some(platform) = value.as_dictionary()
        {
            payload.platform_sso = true;
            let method = platform
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("AuthenticationMethod"))
                .and_then(|(_, v)| v.as_string())
                .map(str::trim)
                .filter(|t| !t.is_empty());
            if let Some(method) = method {
                payload.authentication_method = Some(method.to_string());
            }
        }
        descend(value, payload, depth + 1);
    }
}

fn descend(value: &Value, payload: &mut SsoPayload, depth: usize) {
    match value {
        Value::Dictionary(dict) => visit(dict, payload, depth),
        Value::Array(items) if depth <= MAX_DEPTH => {
            for item in items {
                descend(item, payload, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(xml: &str) -> Dictionary {
        let text =
            format!(r#"<?xml version="1.0" encoding="UTF-8"?><plist version="1.0">{xml}</plist>"#);
        plist::from_bytes::<Value>(text.as_bytes())
            .unwrap()
            .into_dictionary()
            .unwrap()
    }

    #[test]
    fn platform_sso_at_the_top_or_nested_in_payloads() {
        let top = dict(
            "<dict><key>ExtensionIdentifier</key><string>com.microsoft.CompanyPortalMac.ssoextension</string>\
             <key>PlatformSSO</key><dict><key>AuthenticationMethod</key><string>UserSecureEnclaveKey</string></dict></dict>",
        );
        let read_top = read(&top);
        assert!(read_top.is_microsofts());
        assert!(read_top.platform_sso);
        assert_eq!(
            read_top.authentication_method.as_deref(),
            Some("UserSecureEnclaveKey")
        );
        let nested = dict(
            "<dict><key>PayloadContent</key><array><dict><key>extensionidentifier</key>\
             <string>com.microsoft.CompanyPortalMac.ssoextension</string></dict></array></dict>",
        );
        let read_nested = read(&nested);
        assert!(read_nested.is_microsofts());
        assert!(!read_nested.platform_sso);
        // Another extension, and a PlatformSSO key that is no dictionary.
        let other = dict(
            "<dict><key>ExtensionIdentifier</key><string>com.example.sso</string>\
             <key>PlatformSSO</key><string>yes</string></dict>",
        );
        let read_other = read(&other);
        assert!(!read_other.is_microsofts());
        assert!(!read_other.platform_sso);
    }
}
