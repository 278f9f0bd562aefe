//! The one table of log signatures: every text ca-doctor searches the unified
//! log for, and for each meaning whose entries count, which detail and
//! correlation ID are taken from its lines, and where the timeline draws it.
//! A new signature is one row.
//!
//! Patterns avoid quotes, slashes and non-ASCII so that they match the raw
//! bytes of every style, JSON-escaped ones included.

use super::details::Detail;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;

/// What a matched line means.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SignatureId {
    /// The agent acquired an AAD ID: a successful authentication.
    AadIdAcquired,
    /// The agent found no AAD ID: the Mac was deactivated.
    NoAadIdFound,
    /// Silent authentication failed.
    SilentAuthFailed,
    /// Interactive fallback failed; an empty token was sent.
    InteractiveAuthFailed,
    /// Entra ID refused silent authentication with `invalid_grant`.
    InvalidGrant,
    /// The SSO extension refused the URL: AppSSO error -9.
    AppSsoNotAppSsoUrl,
    /// Several MSAL accounts were found for the user.
    DuplicateMsalAccounts,
    /// Jamf Connect could not authenticate the user or check the password.
    JamfConnectAuthFailed,
    /// MSAL could not read or write its token cache in the keychain.
    TokenCacheFailure,
    /// Jamf Connect changed the user's password (a later success ends a
    /// refused change).
    JamfConnectPasswordChanged,
    /// Platform SSO could not read its device configuration (macOS
    /// 15.0-15.2): the registration prompt comes back again and again.
    PssoConfigUnreadable,
    /// PlugInKit refused the SSO extension: another version is in use.
    SsoExtensionVersionConflict,
    /// The SSO extension refused a browser by its team ID (Brave and other
    /// Chromium browsers).
    BrowserNotSupported,
    /// The SSO extension found no device registration for the tenant.
    DeviceNotRegisteredInTenant,
    /// MSAL: "Workplace join is required" (the app needs a registered device).
    WorkplaceJoinRequired,
    /// The SSO extension names the device it presents ("Passing device
    /// header in browser SSO for device id …", "returning guid …"): one
    /// more source of the Mac's device identity, no finding.
    DeviceIdLogged,
    /// The SSO extension's PRT predates a change of the device's
    /// registration and is acquired again.
    PrtNeedsUpgrade,
    /// The SSO extension says Platform SSO is not enabled for the
    /// registration (`WPJPlatformSSONotEnabled`): a ground of the path.
    PlatformSsoNotEnabled,
    /// Workplace Join could not read or change its keychain items
    /// (`-25244`, `-34018`).
    WorkplaceJoinKeychainError,
    /// The user registered in Company Portal directly, not through Jamf's
    /// registration (`AccountNotOnboarded`).
    AccountNotOnboarded,
}

impl SignatureId {
    /// Every signature, in table (and bit) order.
    pub(crate) const ALL: [SignatureId; 20] = [
        SignatureId::AadIdAcquired,
        SignatureId::NoAadIdFound,
        SignatureId::SilentAuthFailed,
        SignatureId::InteractiveAuthFailed,
        SignatureId::InvalidGrant,
        SignatureId::AppSsoNotAppSsoUrl,
        SignatureId::DuplicateMsalAccounts,
        SignatureId::JamfConnectAuthFailed,
        SignatureId::TokenCacheFailure,
        SignatureId::JamfConnectPasswordChanged,
        SignatureId::PssoConfigUnreadable,
        SignatureId::SsoExtensionVersionConflict,
        SignatureId::BrowserNotSupported,
        SignatureId::DeviceNotRegisteredInTenant,
        SignatureId::WorkplaceJoinRequired,
        SignatureId::DeviceIdLogged,
        SignatureId::PrtNeedsUpgrade,
        SignatureId::PlatformSsoNotEnabled,
        SignatureId::WorkplaceJoinKeychainError,
        SignatureId::AccountNotOnboarded,
    ];

    fn bit(self) -> u32 {
        1 << (self as u32)
    }

    /// This signature's row of [`SIGNATURES`].
    pub(crate) fn row(self) -> &'static Signature {
        &SIGNATURES[self as usize]
    }
}

/// Whose entries a signature is believed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Only the Jamf Conditional Access agent (subsystem or process name):
    /// Teams or Company Portal logging `invalid_grant` says nothing about it.
    Agent,
    /// Any process: AppSSO errors hit every Microsoft app.
    AnyProcess,
    /// Only Jamf Connect (its `com.jamf.connect…` or Self Service+
    /// subsystems, or its processes): "Authentication failed" is common words.
    JamfConnect,
}

impl Scope {
    /// Whether an entry of `subsystem` and `process` is believed. Jamf's
    /// Device Compliance workflows (`com.jamf.backgroundworkflows`) are
    /// read and kept, but their messages are not public: no signature is
    /// believed from them.
    pub(crate) fn admits(self, subsystem: &str, process: &str) -> bool {
        if starts_with_ignoring_case(subsystem, UNJUDGED_SUBSYSTEM) {
            return false;
        }
        match self {
            Scope::AnyProcess => true,
            Scope::Agent => is_agent(subsystem, process),
            Scope::JamfConnect => {
                let subsystem = subsystem.to_ascii_lowercase();
                let process = process.to_ascii_lowercase();
                subsystem.starts_with("com.jamf.connect")
                    || subsystem.starts_with("com.jamf.selfserviceplus")
                    || process.contains("jamf connect")
                    || process.contains("self service+")
            }
        }
    }
}

/// The subsystem read for bundles whose entries are never judged.
const UNJUDGED_SUBSYSTEM: &str = "com.jamf.backgroundworkflows";

/// Whether `text` starts with `prefix` in any ASCII case.
fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.len() >= prefix.len()
        && text.as_bytes()[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
}

/// Whether an entry was logged by the Jamf Conditional Access agent (any name
/// it has had). Entries with neither subsystem nor process are given the
/// benefit of the doubt: they come from a grep of the agent's log.
fn is_agent(subsystem: &str, process: &str) -> bool {
    let subsystem = subsystem.to_ascii_lowercase();
    let process = process.to_ascii_lowercase();
    if subsystem.is_empty() && process.is_empty() {
        return true;
    }
    subsystem.contains("jamfaad")
        || process.contains("jamf conditional access")
        || process.contains("jamfaad")
}

/// The lanes of the timeline chart, top to bottom: sign-ins, then every
/// log signature that can be a report's primary cause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Series {
    /// Sign-in succeeded.
    Success,
    /// Silent sign-in failed.
    SilentFailure,
    /// Entra ID refused the silent sign-in with `invalid_grant`.
    InvalidGrant,
    /// Interactive sign-in failed.
    InteractiveFailure,
    /// AppSSO error -9.
    AppSsoError,
    /// MSAL could not read or write its token cache.
    TokenCache,
    /// Several MSAL accounts for the user.
    DuplicateAccounts,
    /// Jamf Connect could not authenticate the user.
    JamfConnectAuthFailed,
    /// Deactivated.
    Deactivation,
}

impl Series {
    /// Every series, in drawing order.
    pub(crate) const ALL: [Series; 9] = [
        Series::Success,
        Series::SilentFailure,
        Series::InvalidGrant,
        Series::InteractiveFailure,
        Series::AppSsoError,
        Series::TokenCache,
        Series::DuplicateAccounts,
        Series::JamfConnectAuthFailed,
        Series::Deactivation,
    ];

    /// Label for legends and lanes.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Series::Success => "sign-in succeeded",
            Series::SilentFailure => "silent sign-in failed",
            Series::InvalidGrant => "invalid_grant",
            Series::InteractiveFailure => "interactive sign-in failed",
            Series::AppSsoError => "AppSSO error -9",
            Series::TokenCache => "token cache failure",
            Series::DuplicateAccounts => "duplicate MSAL accounts",
            Series::JamfConnectAuthFailed => "Jamf Connect auth failed",
            Series::Deactivation => "deactivated (No AAD ID)",
        }
    }
}

/// One row of the table: a meaning and everything that follows from it.
#[derive(Debug)]
pub(crate) struct Signature {
    /// The meaning.
    pub(crate) id: SignatureId,
    /// The texts that carry it (case-sensitive, anywhere in the raw entry).
    pub(crate) patterns: &'static [&'static str],
    /// Whose entries count.
    pub(crate) scope: Scope,
    /// The detail its occurrences are grouped by.
    pub(crate) detail: Detail,
    /// Its lines carry the MSAL correlation ID that Entra's sign-in log shows.
    pub(crate) correlation: bool,
    /// Its lines name the macOS account they are about ("… for macOS user
    /// account <name>"): they count only for that account.
    pub(crate) names_account: bool,
    /// The timeline lane it is drawn in, if any.
    pub(crate) series: Option<Series>,
    /// One request may log the text several times (nested errors, each
    /// layer its own line): lines of one process within this many seconds
    /// of the request's first line count once.
    pub(crate) one_request_within: Option<i64>,
}

/// Every signature ca-doctor searches for, in [`SignatureId`] order.
pub(crate) const SIGNATURES: &[Signature] = &[
    Signature {
        id: SignatureId::AadIdAcquired,
        patterns: &["AAD ID acquired for macOS user account"],
        scope: Scope::Agent,
        detail: Detail::None,
        correlation: false,
        names_account: true,
        series: Some(Series::Success),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::NoAadIdFound,
        patterns: &["No AAD ID found for macOS user account"],
        scope: Scope::Agent,
        detail: Detail::None,
        correlation: false,
        names_account: true,
        series: Some(Series::Deactivation),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::SilentAuthFailed,
        patterns: &["acquireTokenSilent returning with error"],
        scope: Scope::Agent,
        detail: Detail::SilentError,
        correlation: false,
        names_account: false,
        series: Some(Series::SilentFailure),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::InteractiveAuthFailed,
        patterns: &["Did not get a token from acquireTokenInteractive"],
        scope: Scope::Agent,
        detail: Detail::None,
        correlation: false,
        names_account: false,
        series: Some(Series::InteractiveFailure),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::InvalidGrant,
        patterns: &["invalid_grant"],
        scope: Scope::Agent,
        detail: Detail::AadErrorCode,
        correlation: true,
        names_account: false,
        series: Some(Series::InvalidGrant),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::AppSsoNotAppSsoUrl,
        patterns: &[
            "AppSSO.AuthorizationError Code=-9 ",
            "AppSSO.AuthorizationError Code=-9}",
            "not AppSSO URL",
        ],
        scope: Scope::AnyProcess,
        detail: Detail::None,
        correlation: false,
        names_account: false,
        series: Some(Series::AppSsoError),
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::DuplicateMsalAccounts,
        patterns: &[
            "More than 1 account, will try to find a matching account",
            "for silent token acquire to fail now if the wrong account is picked",
        ],
        scope: Scope::Agent,
        detail: Detail::DuplicateKind,
        correlation: false,
        names_account: false,
        series: Some(Series::DuplicateAccounts),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::JamfConnectAuthFailed,
        patterns: &[
            "Authentication failed",
            "Error: noSavedCredentials",
            "Password change failed! Error: Credentials could not be verified",
            "completeAuthFailed(shortName:isOtpRunning:error:completion",
        ],
        scope: Scope::JamfConnect,
        detail: Detail::JamfConnectMessage,
        correlation: false,
        names_account: false,
        series: Some(Series::JamfConnectAuthFailed),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::TokenCacheFailure,
        patterns: &[
            "Failed to find keychain item",
            "Failed refresh token lookup",
            "Keychain add status: -25308",
            "Failed to set item into keychain",
            "Failed to save tokens in cache",
            "Could not write broker key",
        ],
        scope: Scope::Agent,
        detail: Detail::KeychainStatus,
        correlation: false,
        names_account: false,
        series: Some(Series::TokenCache),
        one_request_within: None,
    },
    Signature {
        id: SignatureId::JamfConnectPasswordChanged,
        patterns: &["Successfully changed password for"],
        scope: Scope::JamfConnect,
        detail: Detail::None,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: None,
    },
    // The SSO extension's and Platform SSO's own texts: Microsoft quotes
    // them from sysdiagnose and the SSO extension's log files; any process
    // (AppSSOAgent, the extension, Company Portal) may log them.
    Signature {
        id: SignatureId::PssoConfigUnreadable,
        patterns: &["Error deserializing device config"],
        scope: Scope::AnyProcess,
        detail: Detail::None,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::SsoExtensionVersionConflict,
        patterns: &["other version in use"],
        scope: Scope::AnyProcess,
        detail: Detail::ExtensionVersion,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::BrowserNotSupported,
        patterns: &["the teamId"],
        scope: Scope::AnyProcess,
        detail: Detail::RefusedTeam,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: None,
    },
    Signature {
        id: SignatureId::DeviceNotRegisteredInTenant,
        patterns: &["no registration exists for tenant"],
        scope: Scope::AnyProcess,
        detail: Detail::None,
        correlation: true,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::WorkplaceJoinRequired,
        patterns: &["Workplace join is required"],
        scope: Scope::AnyProcess,
        detail: Detail::None,
        correlation: true,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::DeviceIdLogged,
        patterns: &[
            "Passing device header in browser SSO for device id",
            "returning guid",
        ],
        scope: Scope::AnyProcess,
        detail: Detail::DeviceId,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: None,
    },
    Signature {
        id: SignatureId::PrtNeedsUpgrade,
        patterns: &["PRT needs upgrade as device registration state has changed"],
        scope: Scope::AnyProcess,
        detail: Detail::None,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::PlatformSsoNotEnabled,
        patterns: &["WPJPlatformSSONotEnabled"],
        scope: Scope::AnyProcess,
        detail: Detail::None,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::WorkplaceJoinKeychainError,
        // Workplace Join's own form (`with error code:-25244`); the agent's
        // `status: -34018` is the token cache's.
        patterns: &["code:-25244", "Code=-25244", "code:-34018"],
        scope: Scope::AnyProcess,
        detail: Detail::KeychainStatus,
        correlation: false,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
    Signature {
        id: SignatureId::AccountNotOnboarded,
        patterns: &["AccountNotOnboarded"],
        scope: Scope::AnyProcess,
        detail: Detail::None,
        correlation: true,
        names_account: false,
        series: None,
        one_request_within: Some(2),
    },
];

/// Every text searched for, in table order (for benchmarks: `grep -F -f`).
pub fn signature_patterns() -> Vec<&'static str> {
    SIGNATURES
        .iter()
        .flat_map(|row| row.patterns.iter().copied())
        .collect()
}

/// A small set of signature IDs (a bit set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignatureSet(u32);

impl SignatureSet {
    /// Adds a signature.
    pub(crate) fn insert(&mut self, id: SignatureId) {
        self.0 |= id.bit();
    }

    /// Whether the set holds `id`.
    pub(crate) fn contains(self, id: SignatureId) -> bool {
        self.0 & id.bit() != 0
    }

    /// Whether the set is empty.
    pub(crate) fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Adds every member of `other`.
    pub(crate) fn union_with(&mut self, other: SignatureSet) {
        self.0 |= other.0;
    }

    /// The members, in table order.
    pub(crate) fn iter(self) -> impl Iterator<Item = SignatureId> {
        SignatureId::ALL
            .into_iter()
            .filter(move |id| self.contains(*id))
    }
}

impl Serialize for SignatureSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// The compiled multi-pattern searcher for [`SIGNATURES`].
pub(crate) struct SignatureMatcher {
    searcher: AhoCorasick,
    /// The meaning of each pattern, by pattern index.
    meanings: Vec<SignatureId>,
    longest: usize,
}

impl SignatureMatcher {
    /// Compiles the table.
    pub(crate) fn new() -> Self {
        let patterns = signature_patterns();
        let meanings = SIGNATURES
            .iter()
            .flat_map(|row| row.patterns.iter().map(|_| row.id))
            .collect();
        let searcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(&patterns)
            .unwrap_or_else(|e| {
                unreachable!("the signature table is a fixed set of literals: {e}")
            });
        let longest = patterns.iter().map(|text| text.len()).max().unwrap_or(1);
        SignatureMatcher {
            searcher,
            meanings,
            longest,
        }
    }

    /// Length of the longest pattern: bytes that must overlap between two
    /// searched pieces of one entry.
    pub(crate) fn longest_pattern(&self) -> usize {
        self.longest
    }

    /// Calls `found(offset, id)` for every match in `haystack`, in order.
    pub(crate) fn for_each_match(
        &self,
        haystack: &[u8],
        mut found: impl FnMut(usize, SignatureId),
    ) {
        for m in self.searcher.find_iter(haystack) {
            if let Some(id) = self.meanings.get(m.pattern().as_usize()) {
                found(m.start(), *id);
            }
        }
    }

    /// The signatures anywhere in `haystack`.
    pub(crate) fn signatures_in(&self, haystack: &[u8]) -> SignatureSet {
        let mut set = SignatureSet::default();
        self.for_each_match(haystack, |_, id| set.insert(id));
        set
    }
}

impl Default for SignatureMatcher {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_lines_match_their_meaning() {
        let matcher = SignatureMatcher::new();
        let cases: &[(&str, SignatureId)] = &[
            (
                "Jamf Conditional Access: [com.jamf.management.jamfAAD:workflow] AAD ID acquired for macOS user account test.user",
                SignatureId::AadIdAcquired,
            ),
            (
                "Jamf Conditional Access: [com.jamf.management.jamfAAD:workflow] No AAD ID found for macOS user account test.user",
                SignatureId::NoAadIdFound,
            ),
            (
                "Jamf Conditional Access: [com.jamf.management.jamfAAD:msal] TID=12345 MSAL 1.2.14 Mac 14.3.0 [2024-01-01 00:00:00 - 7F6779F2-640C-4FB2-9462-B16C102CF61C] Processing an AAD error with error code -51412, error invalid_grant",
                SignatureId::InvalidGrant,
            ),
            (
                "Jamf Conditional Access[7756:20d5a] [com.jamf.management.jamfAAD:azure] More than 1 account, will try to find a matching account.",
                SignatureId::DuplicateMsalAccounts,
            ),
            (
                "error = Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\" UserInfo={NSLocalizedDescription=not AppSSO URL}, requestParametersCore = {",
                SignatureId::AppSsoNotAppSsoUrl,
            ),
            (
                "acquireTokenSilent returning with error: Error Domain=MSALErrorDomain Code=-50002",
                SignatureId::SilentAuthFailed,
            ),
            (
                "Did not get a token from acquireTokenInteractive, sending an empty token.",
                SignatureId::InteractiveAuthFailed,
            ),
            (
                "it is posible for silent token acquire to fail now if the wrong account is picked",
                SignatureId::DuplicateMsalAccounts,
            ),
            // Microsoft's texts, as published (samples/mac-2026).
            (
                r#"Error Domain=com.apple.PlatformSSO Code=-1001 "Error deserializing device config." UserInfo={NSLocalizedDescription=Error deserializing device config., NSUnderlyingError=0x9480343f0"#,
                SignatureId::PssoConfigUnreadable,
            ),
            (
                r#"Request for extension <EXConcreteExtension: 0x60000112d080> {id = com.microsoft.CompanyPortalMac.ssoextension} failed with error Error Domain=PlugInKit Code=16 "other version in use: <id<PKPlugIn>: 0x1526066c0; core = <[...] [com.microsoft.CompanyPortalMac.ssoextension(5.2412.0)]"#,
                SignatureId::SsoExtensionVersionConflict,
            ),
            (
                "2025-03-02 10:11:12:123 | E | TID=551 MSAL 1.5.0 Mac 15.3.1 [2025-03-02 09:11:12] the teamId KL8N8XSYF4 is not allowed",
                SignatureId::BrowserNotSupported,
            ),
            (
                "2018-06-07 18:13:42.795 INFO com.microsoft.ssp.workplaceJoinSdk TID=23 ERROR: [errorCode:-400]-[WorkPlaceJoin getRegistration] no registration exists for tenant",
                SignatureId::DeviceNotRegisteredInTenant,
            ),
            (
                r#"info=Error Domain=MSALErrorDomain Code=-50001 "(null)" UserInfo={MSALErrorDescriptionKey=Workplace join is required, MSALDisplayableUserIdKey=test.manelin@nilsongroup.com, MSALCorrelationIDKey=07EF1D50-70F4-4FE3-A520-49407BCDE089"#,
                SignatureId::WorkplaceJoinRequired,
            ),
            (
                "[MSAL] Passing device header in browser SSO for device id 43cfaf69-0f94-4d2e-a815-c103226c4c04",
                SignatureId::DeviceIdLogged,
            ),
            (
                "INFO: [2025-12-02 14:33:33][+WPJCryptoUtil getExtensionFromCertData:651] returning guid 43cfaf69-0f94-4d2e-a815-c103226c4c04",
                SignatureId::DeviceIdLogged,
            ),
            (
                "PRT needs upgrade as device registration state has changed. Device is joined 1, prt is joined 0",
                SignatureId::PrtNeedsUpgrade,
            ),
            (
                "Platform SSO Registration status - WPJPlatformSSONotEnabled",
                SignatureId::PlatformSsoNotEnabled,
            ),
            (
                "failed to delete workplace join item with identifier 'com.microsoft.workplacejoin.registeredUserPrincipalName' from keychain for shared access group: macOS.com.microsoft.workplacejoin with error code:-25244",
                SignatureId::WorkplaceJoinKeychainError,
            ),
            (
                "ERROR: Registration failed: AccountNotOnboarded",
                SignatureId::AccountNotOnboarded,
            ),
        ];
        for (line, id) in cases {
            let set = matcher.signatures_in(line.as_bytes());
            assert!(set.contains(*id), "{line}");
        }
    }

    #[test]
    fn the_agent_s_keychain_status_is_no_workplace_join_error() {
        let matcher = SignatureMatcher::new();
        for line in [
            "Keychain add status: -34018",
            "Failed to set item into keychain (status: -34018)",
            "Error Domain=NSOSStatusErrorDomain Code=-34018",
        ] {
            let set = matcher.signatures_in(line.as_bytes());
            assert!(
                !set.contains(SignatureId::WorkplaceJoinKeychainError),
                "{line}"
            );
        }
    }

    #[test]
    fn json_escaped_appsso_line_still_matches() {
        let matcher = SignatureMatcher::new();
        let escaped = br#"Error Domain=com.apple.AppSSO.AuthorizationError Code=-9 \"not AppSSO URL\" UserInfo"#;
        assert!(
            matcher
                .signatures_in(escaped)
                .contains(SignatureId::AppSsoNotAppSsoUrl)
        );
    }

    #[test]
    fn benign_lines_match_nothing() {
        let matcher = SignatureMatcher::new();
        for line in [
            "Calling acquireTokenSilent for account <private>",
            "Error Domain=com.apple.AppSSO.AuthorizationError Code=-90 \"other\"",
            "AAD ID request started for macOS user account test.user",
            "Calling acquireTokenInteractive",
        ] {
            assert!(matcher.signatures_in(line.as_bytes()).is_empty(), "{line}");
        }
    }

    #[test]
    fn agent_scope() {
        assert!(!Scope::Agent.admits("com.microsoft.teams", "Microsoft Teams"));
        assert!(Scope::AnyProcess.admits("com.microsoft.teams", "Microsoft Teams"));
        assert!(Scope::Agent.admits("com.jamf.management.jamfAAD", "Microsoft Teams"));
        assert!(Scope::Agent.admits("", ""));
        assert!(Scope::Agent.admits("", "JamfAAD"));
        // Jamf's Device Compliance workflows: read, never judged.
        for scope in [Scope::Agent, Scope::AnyProcess, Scope::JamfConnect] {
            assert!(!scope.admits("com.jamf.backgroundworkflows", "JamfAAD"));
            assert!(!scope.admits("com.jamf.backgroundworkflows.compliance", ""));
        }
        assert!(
            super::super::show::LOG_PREDICATE
                .contains(r#"subsystem BEGINSWITH "com.jamf.backgroundworkflows""#)
        );
    }

    #[test]
    fn the_table_is_in_id_order_and_every_id_has_a_row() {
        assert_eq!(SIGNATURES.len(), SignatureId::ALL.len());
        for (row, id) in SIGNATURES.iter().zip(SignatureId::ALL) {
            assert_eq!(row.id, id);
            assert_eq!(id.row().id, id);
            assert!(!row.patterns.is_empty());
        }
    }
}
