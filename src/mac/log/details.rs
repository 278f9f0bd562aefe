//! What is taken from a matched line besides its meaning: the detail its
//! occurrences are grouped by, and the MSAL correlation ID that leads to the
//! matching entry of Entra's sign-in log.

use regex::Regex;
use std::sync::OnceLock;

fn guid_in_brackets() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\[[^\]\n]*?-\s*([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\s*\]")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

fn guid_anywhere() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"(?i)correlation[ _-]?id(?:key)?\W{0,3}([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

/// The MSAL correlation ID of a line: the GUID in the `[time - GUID]` prefix,
/// or one labelled `correlation_id`.
pub(crate) fn correlation_id(message: &str) -> Option<String> {
    guid_in_brackets()
        .captures(message)
        .or_else(|| guid_anywhere().captures(message))
        .map(|c| c[1].to_ascii_uppercase())
}

fn error_domain_code() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"Error Domain=(\S+) Code=(-?\d+)")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

/// The marker before the account name in the agent's messages.
const ACCOUNT_MARKER: &str = "for macOS user account ";

/// What the OS writes instead of a name it keeps private.
pub(crate) const PRIVATE_NAME: &str = "<private>";

/// The macOS account a message names ("… for macOS user account jdoe"):
/// the word after the marker, without quotes or a final full stop;
/// [`PRIVATE_NAME`] when the OS kept it private.
pub(crate) fn account_named(message: &str) -> Option<String> {
    let (_, rest) = message.split_once(ACCOUNT_MARKER)?;
    let word = rest.split_whitespace().next()?;
    let quote = |c: char| c == '"' || c == '\'' || c == '\\';
    let name = word
        .trim_start_matches(quote)
        .trim_end_matches(|c: char| quote(c) || matches!(c, '.' | ',' | ';'));
    (!name.is_empty()).then(|| name.to_string())
}

/// What a signature's occurrences are grouped by, taken from the message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Detail {
    /// Nothing: occurrences are only counted.
    None,
    /// The error after "acquireTokenSilent returning with error"
    /// (`Error Domain=… Code=…`, or the first line of the text).
    SilentError,
    /// The AAD error code of an `invalid_grant` (`error code -51412`).
    AadErrorCode,
    /// Which of the two duplicate-account messages it is.
    DuplicateKind,
    /// Which of Jamf Connect's failure messages it is.
    JamfConnectMessage,
    /// The keychain status of a token-cache failure (`-34018`, `-25308`).
    KeychainStatus,
    /// The SSO extension's version PlugInKit names (`5.2412.0`).
    ExtensionVersion,
    /// The team ID the SSO extension refused ("the teamId X is not
    /// allowed"); none for other lines naming a team ID.
    RefusedTeam,
    /// The device ID the SSO extension presents or reads from its
    /// certificate (lower case).
    DeviceId,
}

impl Detail {
    /// The detail of `message`, if this kind has one.
    pub(crate) fn extract(self, message: &str) -> Option<String> {
        match self {
            Detail::None => None,
            Detail::SilentError => Some(silent_error(message)),
            Detail::AadErrorCode => {
                static RE: OnceLock<Regex> = OnceLock::new();
                let re = RE.get_or_init(|| {
                    Regex::new(r"error code (-?\d+)(?:, error \w+, suberror \(?([A-Za-z_]+)\)?)?")
                        .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
                });
                re.captures(message)
                    .map(|c| match c.get(2).map(|m| m.as_str()) {
                        Some(suberror) if suberror != "null" => {
                            format!("error code {}, suberror {suberror}", &c[1])
                        }
                        _ => format!("error code {}", &c[1]),
                    })
            }
            Detail::KeychainStatus => Some(keychain_status(message)),
            Detail::ExtensionVersion => {
                static RE: OnceLock<Regex> = OnceLock::new();
                let re = RE.get_or_init(|| {
                    Regex::new(r"ssoextension\(([0-9][0-9.]*)\)")
                        .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
                });
                Some(re.captures(message).map_or_else(
                    || "version not named".to_string(),
                    |c| format!("extension {}", &c[1]),
                ))
            }
            Detail::RefusedTeam => {
                static RE: OnceLock<Regex> = OnceLock::new();
                let re = RE.get_or_init(|| {
                    Regex::new(r"the teamId ([A-Z0-9]{10}) is not allowed")
                        .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
                });
                re.captures(message).map(|c| {
                    let team = &c[1];
                    match team {
                        "KL8N8XSYF4" => format!("{team} (Brave)"),
                        _ => team.to_string(),
                    }
                })
            }
            Detail::DeviceId => ["for device id ", "returning guid "]
                .iter()
                .find_map(|marker| {
                    let (_, after) = message.split_once(marker)?;
                    let id = after.trim_start().get(..36)?;
                    let well_formed = id.bytes().enumerate().all(|(i, b)| match i {
                        8 | 13 | 18 | 23 => b == b'-',
                        _ => b.is_ascii_hexdigit(),
                    });
                    well_formed.then(|| id.to_ascii_lowercase())
                }),
            Detail::JamfConnectMessage => Some(
                if message.contains("completeAuthFailed") {
                    "MFA at the login window failed"
                } else if message.contains("noSavedCredentials") {
                    "no saved credentials"
                } else if message.contains("Password change failed") {
                    "password change refused"
                } else {
                    "authentication failed"
                }
                .to_string(),
            ),
            Detail::DuplicateKind => Some(if message.contains("More than 1 account") {
                "More than 1 account (debug)".to_string()
            } else {
                "wrong account may be picked".to_string()
            }),
        }
    }
}

/// The keychain status a token-cache failure names, with what it means.
fn keychain_status(message: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?:status:? |Code=|code:\s?|key )(-\d{4,6})")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    });
    match re.captures(message).map(|c| c[1].to_string()).as_deref() {
        Some("-34018") => "-34018 (no keychain entitlement or access group)".to_string(),
        Some("-25308") => "-25308 (keychain locked: no user interaction allowed)".to_string(),
        Some("-25244") => {
            "-25244 (the item belongs to another app: errSecInvalidOwnerEdit)".to_string()
        }
        Some(other) => other.to_string(),
        None => "no status".to_string(),
    }
}

/// MSAL's other error form: `(MSALErrorDomain, -50002)`.
fn parenthesised_domain_code() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\((\w+ErrorDomain), (-?\d+)\)")
            .unwrap_or_else(|e| unreachable!("fixed pattern: {e}"))
    })
}

fn silent_error(message: &str) -> String {
    let after = message
        .split_once("acquireTokenSilent returning with error")
        .map_or("", |(_, rest)| rest)
        .trim_start_matches([':', ' ']);
    if let Some(c) = error_domain_code()
        .captures(after)
        .or_else(|| parenthesised_domain_code().captures(after))
    {
        return format!("{} {}", &c[1], &c[2]);
    }
    let first_line: String = after
        .lines()
        .next()
        .unwrap_or("")
        .chars()
        .take(120)
        .collect();
    if first_line.trim().is_empty() {
        "(no error text)".to_string()
    } else {
        first_line.trim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn correlation_ids() {
        let line = "TID=12345 MSAL 1.2.14 Mac 14.3.0 [2024-01-01 00:00:00 - 7F6779F2-640C-4FB2-9462-B16C102CF61C] Processing an AAD error with error code -51412, error invalid_grant";
        assert_eq!(
            correlation_id(line).as_deref(),
            Some("7F6779F2-640C-4FB2-9462-B16C102CF61C")
        );
        assert_eq!(
            correlation_id("correlation_id: 7f6779f2-640c-4fb2-9462-b16c102cf61c").as_deref(),
            Some("7F6779F2-640C-4FB2-9462-B16C102CF61C")
        );
        assert_eq!(correlation_id("no id here"), None);
    }

    #[test]
    fn account_names() {
        assert_eq!(
            account_named("AAD ID acquired for macOS user account test.user").as_deref(),
            Some("test.user")
        );
        assert_eq!(
            account_named("No AAD ID found for macOS user account <private>").as_deref(),
            Some(PRIVATE_NAME)
        );
        assert_eq!(
            account_named("No AAD ID found for macOS user account \"bob\".").as_deref(),
            Some("bob")
        );
        assert_eq!(
            account_named("AAD ID acquired for macOS user account "),
            None
        );
        assert_eq!(
            account_named("acquireTokenSilent returning with error"),
            None
        );
    }

    #[test]
    fn details() {
        assert_eq!(
            Detail::AadErrorCode
                .extract("error code -51412, error invalid_grant")
                .as_deref(),
            Some("error code -51412")
        );
        assert_eq!(
            Detail::SilentError
                .extract("acquireTokenSilent returning with error: Error Domain=MSALErrorDomain Code=-50002 \"(null)\"")
                .as_deref(),
            Some("MSALErrorDomain -50002")
        );
        assert_eq!(
            Detail::SilentError
                .extract("acquireTokenSilent returning with error: ")
                .as_deref(),
            Some("(no error text)")
        );
        assert_eq!(Detail::None.extract("anything"), None);
    }
}
