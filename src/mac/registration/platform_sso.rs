//! `app-sso platform -s` (Platform SSO's state, run as the user): sections
//! `Device Configuration:`, `Login Configuration:`, `User Configuration:`
//! and `SSO Tokens:`, each a JSON dictionary or ` (null)`. Read tolerantly:
//! a section that is not JSON is read as `key : value` lines, values keep
//! their oddities out of the way (`(2)` suffixes, `user\@domain`), and the
//! tokens section is only noted, never kept.

use super::certificate::DeviceCertificate;
use crate::util::guid::Guid;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// What Platform SSO says about the device and the user.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct PlatformSso {
    /// Whether the output was Platform SSO's: its sections, or at least
    /// the registration flag.
    #[serde(default)]
    pub(crate) recognised: bool,
    /// Whether Platform SSO is set up at all (a device configuration).
    pub(crate) configured: bool,
    /// `registrationCompleted`.
    pub(crate) registration_completed: Option<bool>,
    /// The SSO extension (`com.microsoft.CompanyPortalMac.ssoextension`).
    pub(crate) extension_identifier: Option<String>,
    /// How users sign in (`POLoginTypeUserSecureEnclaveKey`).
    pub(crate) login_type: Option<String>,
    /// The tenant, from the login configuration's `issuer` or token endpoint.
    pub(crate) tenant_id: Option<Guid>,
    /// The user's UPNs (Kerberos status, login user name).
    pub(crate) upns: Vec<String>,
    /// The user's state (`POUserStateNormal`).
    pub(crate) user_state: Option<String>,
    /// The user's last Platform SSO login.
    pub(crate) last_login: Option<String>,
    /// The device certificate (`deviceSigningCertificate`).
    pub(crate) device_certificate: Option<DeviceCertificate>,
    /// Why `deviceSigningCertificate` could not be read, when it could not.
    pub(crate) certificate_problem: Option<String>,
    /// Whether the output held an `SSO Tokens:` section (never kept).
    pub(crate) tokens_listed: bool,
}

impl PlatformSso {
    /// Whether Platform SSO registered the device.
    pub(crate) fn registered(&self) -> bool {
        self.registration_completed == Some(true)
    }
}

/// The section headings, as `app-sso` writes them.
const DEVICE: &str = "Device Configuration:";
const LOGIN: &str = "Login Configuration:";
const USER: &str = "User Configuration:";
const TOKENS: &str = "SSO Tokens:";

/// Reads `app-sso platform -s` output.
pub(crate) fn parse(output: &str) -> PlatformSso {
    let sections = sections(output);
    let section = |name: &str| {
        sections
            .iter()
            .find(|(heading, _)| *heading == name)
            .and_then(|(_, body)| dictionary(body))
    };
    let device = section(DEVICE);
    let login = section(LOGIN);
    let user = section(USER);
    let mut state = PlatformSso {
        configured: device.is_some(),
        tokens_listed: sections.iter().any(|(heading, _)| *heading == TOKENS),
        ..PlatformSso::default()
    };
    // Output without the sections (other macOS versions, a shortened
    // paste): the registration flag wherever it is.
    let whole = (device.is_none() && sections.is_empty()).then(|| key_value_lines(output));
    let device = device.or(whole);
    if let Some(device) = &device {
        state.registration_completed = get(device, "registrationCompleted").and_then(boolean);
        state.extension_identifier = get(device, "extensionIdentifier").and_then(text);
        state.login_type = get(device, "loginType")
            .and_then(text)
            .map(|t| without_code(&t));
        if let Some(encoded) = get(device, "deviceSigningCertificate").and_then(text) {
            match decode_certificate(&encoded) {
                Ok(certificate) => state.device_certificate = Some(certificate),
                Err(problem) => state.certificate_problem = Some(format!("{problem:#}")),
            }
        }
    }
    if let Some(login) = &login {
        state.tenant_id = [
            "issuer",
            "tokenEndpointURL",
            "keyEndpointURL",
            "jwksEndpointURL",
        ]
        .iter()
        .filter_map(|key| get(login, key).and_then(text))
        .find_map(|url| Guid::find_all(&url).into_iter().next());
    }
    if let Some(user) = &user {
        let mut upns = Vec::new();
        if let Some(Value::Array(statuses)) = get(user, "kerberosStatus") {
            upns.extend(
                statuses
                    .iter()
                    .filter_map(|s| s.as_object())
                    .filter_map(|s| get(s, "upn").and_then(text))
                    .map(|upn| clean_upn(&upn)),
            );
        }
        if let Some(Value::Object(login)) = get(user, "userLoginConfiguration") {
            upns.extend(
                get(login, "loginUserName")
                    .and_then(text)
                    .map(|u| clean_upn(&u)),
            );
        }
        upns.retain(|u| u.contains('@'));
        upns.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        state.upns = upns;
        state.user_state = get(user, "state").and_then(text).map(|t| without_code(&t));
        state.last_login = get(user, "lastLoginDate").and_then(text);
    }
    state.recognised = !sections.is_empty() || state.registration_completed.is_some();
    state
}

/// The sections of the output: each heading and the text under it.
fn sections(output: &str) -> Vec<(&'static str, String)> {
    let mut found: Vec<(&'static str, String)> = Vec::new();
    for line in output.lines() {
        let heading = [DEVICE, LOGIN, USER, TOKENS]
            .into_iter()
            .find(|h| line.trim().eq_ignore_ascii_case(h));
        match (heading, found.last_mut()) {
            (Some(heading), _) => found.push((heading, String::new())),
            (None, Some((_, body))) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    found
}

/// A section's dictionary: `None` for ` (null)` or an empty section.
fn dictionary(body: &str) -> Option<Map<String, Value>> {
    let trimmed = body.trim();
    if trimmed.is_empty() || trimmed.eq_ignore_ascii_case("(null)") {
        return None;
    }
    match serde_json::from_str::<Value>(trimmed) {
        Ok(Value::Object(map)) => Some(map),
        _ => Some(key_value_lines(trimmed)),
    }
}

/// `key : value` or `key = value` lines, quotes and trailing commas aside:
/// the flat reading of a section that is not JSON.
fn key_value_lines(text: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for line in text.lines() {
        let Some((key, value)) = line.split_once([':', '=']) else {
            continue;
        };
        let key = key.trim().trim_matches('"').trim();
        let value = value
            .trim()
            .trim_end_matches([',', ';'])
            .trim()
            .trim_matches('"');
        if key.is_empty() || key.contains(' ') || value.is_empty() {
            continue;
        }
        map.entry(key.to_string())
            .or_insert_with(|| Value::String(value.to_string()));
    }
    map
}

/// The value of `key`, its case aside.
fn get<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// A yes/no value: a JSON boolean, `true`/`1`/`yes` text or a number.
fn boolean(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) => n.as_f64().map(|n| n != 0.0),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Some(true),
            "false" | "no" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// A value as text (numbers too); `None` when empty or not a scalar.
fn text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// `POLoginTypeUserSecureEnclaveKey (2)` without its ` (2)`.
fn without_code(text: &str) -> String {
    match text.rsplit_once(" (") {
        Some((name, code))
            if code
                .trim_end_matches(')')
                .chars()
                .all(|c| c.is_ascii_digit()) =>
        {
            name.trim().to_string()
        }
        _ => text.trim().to_string(),
    }
}

/// A Kerberos principal as a UPN: `user\@domain@REALM` is `user@domain`.
fn clean_upn(text: &str) -> String {
    let text = text.trim();
    let text = match text.rsplit_once('@') {
        Some((name, realm)) if name.contains("\\@") && realm == realm.to_ascii_uppercase() => name,
        _ => text,
    };
    text.replace("\\@", "@")
}

/// The device certificate from its base64url (or base64) DER.
fn decode_certificate(encoded: &str) -> anyhow::Result<DeviceCertificate> {
    use base64::Engine;
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
    let compact: String = encoded
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .trim_end_matches('=')
        .to_string();
    let der = URL_SAFE_NO_PAD
        .decode(&compact)
        .or_else(|_| STANDARD_NO_PAD.decode(&compact))
        .map_err(|e| anyhow::anyhow!("deviceSigningCertificate is not base64 ({e})"))?;
    match DeviceCertificate::from_der(&der) {
        Ok(Some(certificate)) => Ok(certificate),
        Ok(None) => Err(anyhow::anyhow!(
            "deviceSigningCertificate is not issued by MS-Organization-Access"
        )),
        Err(problem) => Err(anyhow::anyhow!("deviceSigningCertificate is {problem}")),
    }
}

/// `output` with the `SSO Tokens:` section's values and the key material
/// of the configuration (`…KeyData`) replaced: what a bundle may keep.
pub(crate) fn without_secrets(output: &str) -> String {
    let mut out = String::new();
    let mut in_tokens = false;
    for line in output.lines() {
        let heading = [DEVICE, LOGIN, USER, TOKENS]
            .into_iter()
            .find(|h| line.trim().eq_ignore_ascii_case(h));
        if let Some(heading) = heading {
            in_tokens = heading == TOKENS;
            out.push_str(line);
            out.push('\n');
            if in_tokens {
                out.push_str(" <removed: the SSO tokens never leave the Mac>\n");
            }
            continue;
        }
        if in_tokens {
            continue;
        }
        if let Some((key, value)) = line.split_once(':')
            && key
                .trim()
                .trim_matches('"')
                .to_ascii_lowercase()
                .ends_with("keydata")
        {
            let comma = if value.trim_end().ends_with(',') {
                ","
            } else {
                ""
            };
            out.push_str(&format!("{key}: \"<removed>\"{comma}\n"));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// `output` with the value of `deviceSigningCertificate` replaced: the
/// certificate holds the user's object ID.
pub(crate) fn without_certificate(output: &str) -> String {
    let mut out = String::with_capacity(output.len());
    for line in output.lines() {
        match line.split_once(':') {
            Some((key, value))
                if key
                    .trim()
                    .trim_matches('"')
                    .eq_ignore_ascii_case("deviceSigningCertificate") =>
            {
                let comma = if value.trim_end().ends_with(',') {
                    ","
                } else {
                    ""
                };
                out.push_str(&format!(
                    "{key}: \"<removed: holds the user's object ID>\"{comma}\n"
                ));
            }
            _ => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let path = format!(
            "{}/fixtures/device-chain/mac/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&path).unwrap()
    }

    #[test]
    fn a_registered_mac_gives_every_field() {
        let state = parse(&fixture("platform-sso-registered.txt"));
        assert!(state.configured && state.registered() && state.recognised);
        assert_eq!(
            state.extension_identifier.as_deref(),
            Some("com.microsoft.CompanyPortalMac.ssoextension")
        );
        assert_eq!(
            state.login_type.as_deref(),
            Some("POLoginTypeUserSecureEnclaveKey")
        );
        assert_eq!(state.user_state.as_deref(), Some("POUserStateNormal"));
        assert_eq!(
            state.upns,
            [
                "foobar@contoso.onmicrosoft.com",
                "f***@contoso.onmicrosoft.com"
            ]
        );
        assert_eq!(state.last_login.as_deref(), Some("2025-06-18T20:22:55Z"));
        // The sample's tenant is redacted in the URLs: none is made up.
        assert_eq!(state.tenant_id, None);
        let certificate = state.device_certificate.unwrap();
        assert_eq!(
            certificate.device_id.unwrap().to_string(),
            "34b1ba9a-3b2d-4c6c-ab4b-615f4b143eab"
        );
        assert!(state.tokens_listed);
    }

    #[test]
    fn configured_not_registered_and_not_configured() {
        let state = parse(&fixture("platform-sso-not-registered.txt"));
        assert!(state.configured && !state.registered());
        assert_eq!(state.registration_completed, Some(false));
        assert_eq!(state.device_certificate, None);
        assert!(state.upns.is_empty());
        let state = parse(&fixture("platform-sso-not-configured.txt"));
        assert!(!state.configured && state.recognised);
        assert_eq!(state.registration_completed, None);
    }

    #[test]
    fn other_forms_and_oddities() {
        // Not JSON, no sections: the flag wherever it is.
        assert_eq!(
            parse("registrationCompleted : true\n").registration_completed,
            Some(true)
        );
        assert_eq!(
            parse("Device Configuration:\n registrationCompleted : YES\n").registration_completed,
            Some(true)
        );
        assert_eq!(
            parse("Device Configuration:\n{ \"RegistrationCompleted\" : 0 }\n")
                .registration_completed,
            Some(false)
        );
        assert!(!parse("nothing here").recognised);
        // A tenant in the token endpoint, a certificate that is not one.
        let state = parse(
            "Device Configuration:\n{ \"registrationCompleted\" : true, \"deviceSigningCertificate\" : \"bm90IGEgY2VydA\" }\nLogin Configuration:\n{ \"tokenEndpointURL\" : \"https://login.microsoftonline.com/AFB714DE-F42C-41F2-802F-65B2911DD346/oauth2/v2.0/token\" }\n",
        );
        assert_eq!(
            state.tenant_id.unwrap().to_string(),
            "afb714de-f42c-41f2-802f-65b2911dd346"
        );
        assert!(
            state
                .certificate_problem
                .unwrap()
                .starts_with("deviceSigningCertificate is not an X.509 certificate")
        );
        assert_eq!(without_code("None (0)"), "None");
        assert_eq!(without_code("odd (x)"), "odd (x)");
        assert_eq!(
            clean_upn("a\\@b.com@KERBEROS.MICROSOFTONLINE.COM"),
            "a@b.com"
        );
        assert_eq!(clean_upn("a@b.com"), "a@b.com");
    }

    #[test]
    fn the_kept_copy_has_no_tokens_and_no_key_data_and_reads_the_same() {
        let output = fixture("platform-sso-registered.txt").replace(
            "\"_deviceSigningKeyData\" : \"<REDACTED>\"",
            "\"_deviceSigningKeyData\" : \"S3cr3tKeyData==\"",
        );
        let kept = without_secrets(&output);
        assert!(!kept.contains("S3cr3tKeyData"), "{kept}");
        assert!(!kept.contains("2025-07-02T20:22:54Z"), "token expiry gone");
        assert!(kept.contains("<removed: the SSO tokens never leave the Mac>"));
        let mut again = parse(&kept);
        assert!(again.tokens_listed);
        again.tokens_listed = true;
        assert_eq!(again, parse(&output));
    }
}
