//! The one table of log signatures: every text ca-doctor searches the unified
//! log for, what it means, and whose entries count. A new signature is one line.
//!
//! Patterns avoid quotes, slashes and non-ASCII so that they match the raw
//! bytes of every style, JSON-escaped ones included.

use super::event::Event;
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
}

impl SignatureId {
    /// Every signature, in bit order.
    pub const ALL: [SignatureId; 7] = [
        SignatureId::AadIdAcquired,
        SignatureId::NoAadIdFound,
        SignatureId::SilentAuthFailed,
        SignatureId::InteractiveAuthFailed,
        SignatureId::InvalidGrant,
        SignatureId::AppSsoNotAppSsoUrl,
        SignatureId::DuplicateMsalAccounts,
    ];

    fn bit(self) -> u16 {
        1 << (self as u16)
    }

    /// Whose entries may carry this signature.
    pub fn scope(self) -> Scope {
        match self {
            SignatureId::AppSsoNotAppSsoUrl => Scope::AnyProcess,
            _ => Scope::Agent,
        }
    }
}

/// Whose entries a signature is believed from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Only the Jamf Conditional Access agent (subsystem or process name):
    /// Teams or Company Portal logging `invalid_grant` says nothing about it.
    Agent,
    /// Any process: AppSSO errors hit every Microsoft app.
    AnyProcess,
}

impl Scope {
    /// Whether `event` is from a process this scope admits.
    pub fn admits(self, event: &Event) -> bool {
        match self {
            Scope::AnyProcess => true,
            Scope::Agent => is_agent(event),
        }
    }
}

/// Whether an entry was logged by the Jamf Conditional Access agent (any name
/// it has had). Entries with neither subsystem nor process are given the
/// benefit of the doubt: they come from a grep of the agent's log.
pub fn is_agent(event: &Event) -> bool {
    let subsystem = event.subsystem.to_ascii_lowercase();
    let process = event.process.to_ascii_lowercase();
    if subsystem.is_empty() && process.is_empty() {
        return true;
    }
    subsystem.contains("jamfaad")
        || process.contains("jamf conditional access")
        || process.contains("jamfaad")
}

/// Every signature ca-doctor searches for: `(meaning, text)`. Several lines
/// may share a meaning. Case-sensitive, matched anywhere in the raw entry.
pub const SIGNATURES: &[(SignatureId, &str)] = &[
    (
        SignatureId::AadIdAcquired,
        "AAD ID acquired for macOS user account",
    ),
    (
        SignatureId::NoAadIdFound,
        "No AAD ID found for macOS user account",
    ),
    (
        SignatureId::SilentAuthFailed,
        "acquireTokenSilent returning with error",
    ),
    (
        SignatureId::InteractiveAuthFailed,
        "Did not get a token from acquireTokenInteractive",
    ),
    (SignatureId::InvalidGrant, "invalid_grant"),
    (
        SignatureId::AppSsoNotAppSsoUrl,
        "AppSSO.AuthorizationError Code=-9 ",
    ),
    (SignatureId::AppSsoNotAppSsoUrl, "not AppSSO URL"),
    (
        SignatureId::DuplicateMsalAccounts,
        "More than 1 account, will try to find a matching account",
    ),
    (
        SignatureId::DuplicateMsalAccounts,
        "for silent token acquire to fail now if the wrong account is picked",
    ),
];

/// A small set of signature IDs (a bit set).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SignatureSet(u16);

impl SignatureSet {
    /// Adds a signature.
    pub fn insert(&mut self, id: SignatureId) {
        self.0 |= id.bit();
    }

    /// Whether the set holds `id`.
    pub fn contains(self, id: SignatureId) -> bool {
        self.0 & id.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Adds every member of `other`.
    pub fn union_with(&mut self, other: SignatureSet) {
        self.0 |= other.0;
    }

    /// The members, in table order.
    pub fn iter(self) -> impl Iterator<Item = SignatureId> {
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
pub struct SignatureMatcher {
    searcher: AhoCorasick,
    longest: usize,
}

impl SignatureMatcher {
    /// Compiles the table.
    pub fn new() -> Self {
        let searcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostFirst)
            .build(SIGNATURES.iter().map(|(_, text)| text))
            .unwrap_or_else(|e| {
                unreachable!("the signature table is a fixed set of literals: {e}")
            });
        let longest = SIGNATURES
            .iter()
            .map(|(_, text)| text.len())
            .max()
            .unwrap_or(1);
        SignatureMatcher { searcher, longest }
    }

    /// Length of the longest pattern: bytes that must overlap between two
    /// searched pieces of one entry.
    pub fn longest_pattern(&self) -> usize {
        self.longest
    }

    /// Calls `found(offset, id)` for every match in `haystack`, in order.
    pub fn for_each_match(&self, haystack: &[u8], mut found: impl FnMut(usize, SignatureId)) {
        for m in self.searcher.find_iter(haystack) {
            found(m.start(), SIGNATURES[m.pattern().as_usize()].0);
        }
    }

    /// The signatures anywhere in `haystack`.
    pub fn signatures_in(&self, haystack: &[u8]) -> SignatureSet {
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
        ];
        for (line, id) in cases {
            let set = matcher.signatures_in(line.as_bytes());
            assert!(set.contains(*id), "{line}");
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
        let mut event = Event {
            process: "Microsoft Teams".into(),
            subsystem: "com.microsoft.teams".into(),
            ..Event::default()
        };
        assert!(!Scope::Agent.admits(&event));
        assert!(Scope::AnyProcess.admits(&event));
        event.subsystem = "com.jamf.management.jamfAAD".into();
        assert!(Scope::Agent.admits(&event));
        let bare = Event::default();
        assert!(Scope::Agent.admits(&bare));
        let old = Event {
            process: "JamfAAD".into(),
            ..Event::default()
        };
        assert!(Scope::Agent.admits(&old));
    }
}
