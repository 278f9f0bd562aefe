//! The agent's `getPSSOStatus` (Jamf Pro 11.21.1 and later): a status code
//! on the first line (0 Platform SSO not enabled, 1 enabled but not
//! registered, 2 enabled and registered), then a Swift dictionary such as
//! `[AnyHashable("primary_registration_metadata_device_id"): <id>, …]`. No
//! real output is published, so every part is optional and found by name.

use crate::util::guid::Guid;
use serde::{Deserialize, Serialize};

/// What the agent reports.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AgentPssoStatus {
    /// The status code, when the output starts with one.
    pub(crate) code: Option<u8>,
    /// The device ID of the primary registration.
    pub(crate) device_id: Option<Guid>,
    /// Its tenant.
    pub(crate) tenant_id: Option<Guid>,
    /// Its user.
    pub(crate) upn: Option<String>,
}

impl AgentPssoStatus {
    /// Whether the agent says the device is registered: code 2, or a
    /// primary registration's device ID.
    pub(crate) fn registered(&self) -> bool {
        self.code == Some(2) || (self.code.is_none() && self.device_id.is_some())
    }

    /// The status code in words.
    pub(crate) fn describe(&self) -> &'static str {
        match self.code {
            Some(0) => "Platform SSO not enabled",
            Some(1) => "Platform SSO enabled, not registered",
            Some(2) => "Platform SSO enabled and registered",
            Some(_) => "an unknown status",
            None if self.device_id.is_some() => "a primary registration",
            None => "no status",
        }
    }
}

/// Reads `getPSSOStatus` output.
pub(crate) fn parse(output: &str) -> AgentPssoStatus {
    let code = output
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .and_then(|first| {
            let digits: String = first
                .rsplit([' ', ':', '='])
                .next()?
                .chars()
                .filter(char::is_ascii_digit)
                .collect();
            (digits.len() == 1 && !first.contains('[')).then_some(digits)
        })
        .and_then(|d| d.parse().ok());
    let value =
        |suffix: &str| value_after(output, &format!("primary_registration_metadata_{suffix}"));
    AgentPssoStatus {
        code,
        device_id: value("device_id").and_then(|v| Guid::find_all(&v).into_iter().next()),
        tenant_id: value("tenant_id").and_then(|v| Guid::find_all(&v).into_iter().next()),
        upn: value("upn")
            .map(|v| {
                v.trim_matches(|c: char| c == '"' || c.is_whitespace())
                    .to_string()
            })
            .filter(|v| v.contains('@')),
    }
}

/// The text after `key`'s colon up to the next entry (`,`) or the end of
/// the dictionary, with `Optional(…)` and quotes around it removed.
fn value_after(output: &str, key: &str) -> Option<String> {
    let at = output.find(key)? + key.len();
    let rest = &output[at..];
    let rest = rest.trim_start_matches(['"', ')']).trim_start();
    let rest = rest.strip_prefix(':').or_else(|| rest.strip_prefix('='))?;
    let end = rest.find([',', ']', '\n']).unwrap_or(rest.len());
    let value = rest[..end].trim();
    let value = value
        .strip_prefix("Optional(")
        .map(|v| v.trim_end_matches(')'))
        .unwrap_or(value);
    Some(value.trim_matches('"').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_shape() {
        let status = parse(
            "2\n[AnyHashable(\"primary_registration_metadata_device_id\"): 34B1BA9A-3B2D-4C6C-AB4B-615F4B143EAB, AnyHashable(\"primary_registration_metadata_upn\"): jane@contoso.com, AnyHashable(\"primary_registration_metadata_tenant_id\"): afb714de-f42c-41f2-802f-65b2911dd346]\n",
        );
        assert_eq!(status.code, Some(2));
        assert!(status.registered());
        assert_eq!(
            status.device_id.unwrap().to_string(),
            "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab"
        );
        assert_eq!(
            status.tenant_id.unwrap().to_string(),
            "afb714de-f42c-41f2-802f-65b2911dd346"
        );
        assert_eq!(status.upn.as_deref(), Some("jane@contoso.com"));
        assert_eq!(status.describe(), "Platform SSO enabled and registered");
    }

    #[test]
    fn variations() {
        // Quoted and optional values, a labelled status.
        let status = parse(
            "Status: 1\n[AnyHashable(\"primary_registration_metadata_device_id\"): Optional(\"34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab\")]",
        );
        assert_eq!(status.code, Some(1));
        assert!(!status.registered());
        assert!(status.device_id.is_some());
        // No code, a registration: registered.
        let status = parse(
            "[AnyHashable(\"primary_registration_metadata_device_id\"): \"34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab\"]",
        );
        assert_eq!(status.code, None);
        assert!(status.registered());
        // Nothing: nothing.
        assert_eq!(parse(""), AgentPssoStatus::default());
        assert_eq!(parse("0\n[:]").code, Some(0));
        assert_eq!(parse("{}").code, None);
        assert_eq!(parse("primary_registration_metadata_upn").upn, None);
    }
}
