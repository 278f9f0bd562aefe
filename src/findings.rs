//! The one shape of a diagnosis, whatever it is about (a Mac user today; a
//! tenant's sign-ins or a policy as well): a typed ID, a severity, a summary,
//! the evidence it rests on and numbered next steps.

use serde::Serialize;

/// Every finding ca-doctor can raise. The declaration order is the cause
/// order: when several problems are found, the first in this order is named
/// the primary cause (root causes first, then their symptoms). The kebab-case
/// names are stable: Smart Groups and scripts match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FindingId {
    /// The agent signs in to an Entra app of no Jamf integration.
    WrongRegistrationApp,
    /// The user registered in Company Portal directly, not through Jamf's
    /// registration (`AccountNotOnboarded`).
    RegisteredOutsideJamf,
    /// `microsoftCAEnabled` is false: the Mac is outside the Applicable
    /// group and the registration bails out.
    NotInApplicableGroup,
    /// The agent says the Platform SSO registration needs a repair.
    PssoNeedsRepair,
    /// Platform SSO needs new keys for the user.
    PssoNeedsNewKeys,
    /// Platform SSO waits for the user to register.
    PssoRegistrationPending,
    /// Platform SSO registered the Mac but the agent never ran for the
    /// account: Jamf Pro never sent its compliance.
    ComplianceNotSent,
    /// The SSO extension finds no device registration for the tenant.
    DeviceNotRegisteredInTenant,
    /// An app needs a registered device (MSAL: workplace join is required).
    WorkplaceJoinRequired,
    /// Platform SSO cannot read its device configuration (macOS 15.0-15.2).
    PssoConfigUnreadable,
    /// PlugInKit refuses the SSO extension: another version is in use.
    SsoExtensionVersionConflict,
    /// The SSO extension refuses a browser (Brave and other Chromium builds).
    BrowserNotSupported,
    /// Workplace Join cannot read or change its keychain items.
    WorkplaceJoinKeychainError,
    /// The SSO extension's PRT predates a registration change and is
    /// acquired again.
    PrtNeedsUpgrade,
    /// The agent ran but never acquired an AAD ID (registration never finished).
    AadIdNotAcquired,
    /// The Mac's registration with Entra ID is incomplete.
    RegistrationIncomplete,
    /// The Mac's device certificate expires soon or has expired.
    DeviceCertificateExpiring,
    /// The SSO extension refuses Microsoft URLs (AppSSO -9).
    AppssoNotAppssoUrl,
    /// The agent cannot keep its tokens in the keychain: every run turns
    /// interactive.
    TokenCacheUnwritable,
    /// Entra ID refused the silent sign-in with `invalid_grant`.
    InvalidGrant,
    /// Several MSAL accounts for one user: the wrong one may be picked.
    DuplicateMsalAccounts,
    /// The silent sign-in failed.
    SilentAuthFailed,
    /// The interactive fallback failed: an empty token was sent.
    InteractiveAuthFailed,
    /// No successful sign-in for too long.
    TokenStale,
    /// Entra ID soft-deleted the Mac's device object: restorable for 30
    /// days, its compliance reset.
    DeviceSoftDeleted,
    /// Entra ID has no device object of the Mac's device ID.
    DeviceRecordMissing,
    /// Entra ID's device object is disabled.
    DeviceDisabled,
    /// Sign-ins or Jamf Pro name another device ID than the Mac's.
    DeviceIdMismatch,
    /// Jamf Pro's last inventory is too old for compliance.
    InventoryStale,
    /// Entra ID says the Mac's device is not compliant.
    DeviceNotCompliant,
    /// Sign-ins refused for the device state presented no device.
    DeviceNotPresented,
    /// More than one Entra device object for the Mac.
    DuplicateDeviceRecords,
    /// The Mac is enrolled in Intune's MDM as well as managed by Jamf Pro:
    /// Intune's compliance is enforced, the partner's ignored.
    EnrolledInIntuneToo,
    /// An input exists but could not be read.
    InputUnreadable,
    /// The unified log was not read to its end.
    LogIncomplete,
    /// A log input is in no known `log show` style.
    LogUnrecognised,
    /// The user never registered this Mac.
    NotRegistered,
    /// The Mac is deactivated.
    Deactivated,
    /// A Jamf Connect app is misconfigured in Entra ID.
    JamfConnectAppMisconfigured,
    /// The device-compliance registration is blocked by device conditions.
    DeviceRegistrationBlocked,
    /// Sign-ins to other apps refused for the device's state.
    DeviceStateRefused,
    /// Accounts are locked.
    AccountLocked,
    /// Accounts are disabled.
    AccountDisabled,
    /// Passwords expired.
    PasswordExpired,
    /// Users not found in the tenant.
    UserNotFound,
    /// Jamf Connect password checks refused: wrong password.
    RopgBadPassword,
    /// Jamf Connect password checks answered "MFA required" (false failures).
    RopgMfaRequired,
    /// Sign-ins blocked by Conditional Access.
    BlockedByConditionalAccess,
    /// What Entra recorded for the Mac's own `invalid_grant` failures.
    CorrelatedSignIns,
    /// A policy requiring a compliant or joined device locks users out of the Mac.
    LockoutCompliantDevice,
    /// A policy requiring an approved or compliant app blocks Jamf Connect.
    JamfConnectBlockedByAppGrant,
    /// A policy requiring MFA reaches the ROPG password check.
    MfaPolicyHitsRopg,
    /// A location condition locks users off the network out.
    LocationCondition,
    /// An All-resources policy with resource exclusions requires a
    /// compliant device: since baseline scopes are enforced, it blocks the
    /// Device Compliance registration itself.
    BaselineScopesEnforced,
    /// Disabled policies, listed (info).
    IgnoredPolicies,
    /// Jamf Connect's configuration has IDs that cannot work.
    JamfConnectConfigInvalid,
    /// The login window and the menu bar disagree on the ROPG app or tenant.
    JamfConnectRopgMismatch,
    /// The user's local password no longer matches Entra ID.
    JamfConnectPasswordOutOfSync,
    /// The ROPG check requests only the default scopes.
    JamfConnectDefaultScopes,
    /// How often the menu bar re-checks the password (info).
    JamfConnectNetworkCheck,
    /// Jamf Connect logged failed authentications.
    JamfConnectAuthFailed,
    /// Times after the analysis clock: the Mac's clock was wrong (info).
    ClockSkew,
    /// The recurring sign-in was removed on purpose (info).
    RecurringAuthRemoved,
    /// A saved state was not used (info).
    StateDiscarded,
}

impl FindingId {
    /// The stable name, as in JSON and the EA.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FindingId::WrongRegistrationApp => "wrong-registration-app",
            FindingId::RegisteredOutsideJamf => "registered-outside-jamf",
            FindingId::NotInApplicableGroup => "not-in-applicable-group",
            FindingId::PssoNeedsRepair => "psso-needs-repair",
            FindingId::PssoNeedsNewKeys => "psso-needs-new-keys",
            FindingId::PssoRegistrationPending => "psso-registration-pending",
            FindingId::ComplianceNotSent => "compliance-not-sent",
            FindingId::DeviceNotRegisteredInTenant => "device-not-registered-in-tenant",
            FindingId::WorkplaceJoinRequired => "workplace-join-required",
            FindingId::PssoConfigUnreadable => "psso-config-unreadable",
            FindingId::SsoExtensionVersionConflict => "sso-extension-version-conflict",
            FindingId::BrowserNotSupported => "browser-not-supported",
            FindingId::WorkplaceJoinKeychainError => "workplace-join-keychain-error",
            FindingId::PrtNeedsUpgrade => "prt-needs-upgrade",
            FindingId::AadIdNotAcquired => "aad-id-not-acquired",
            FindingId::RegistrationIncomplete => "registration-incomplete",
            FindingId::DeviceCertificateExpiring => "device-certificate-expiring",
            FindingId::AppssoNotAppssoUrl => "appsso-not-appsso-url",
            FindingId::TokenCacheUnwritable => "token-cache-unwritable",
            FindingId::InvalidGrant => "invalid-grant",
            FindingId::DuplicateMsalAccounts => "duplicate-msal-accounts",
            FindingId::SilentAuthFailed => "silent-auth-failed",
            FindingId::InteractiveAuthFailed => "interactive-auth-failed",
            FindingId::TokenStale => "token-stale",
            FindingId::DeviceSoftDeleted => "device-soft-deleted",
            FindingId::DeviceRecordMissing => "device-record-missing",
            FindingId::DeviceDisabled => "device-disabled",
            FindingId::DeviceIdMismatch => "device-id-mismatch",
            FindingId::InventoryStale => "inventory-stale",
            FindingId::DeviceNotCompliant => "device-not-compliant",
            FindingId::DeviceNotPresented => "device-not-presented",
            FindingId::DuplicateDeviceRecords => "duplicate-device-records",
            FindingId::EnrolledInIntuneToo => "enrolled-in-intune-too",
            FindingId::InputUnreadable => "input-unreadable",
            FindingId::LogIncomplete => "log-incomplete",
            FindingId::LogUnrecognised => "log-unrecognised",
            FindingId::NotRegistered => "not-registered",
            FindingId::Deactivated => "deactivated",
            FindingId::JamfConnectAppMisconfigured => "jamf-connect-app-misconfigured",
            FindingId::DeviceRegistrationBlocked => "device-registration-blocked",
            FindingId::DeviceStateRefused => "device-state-refused",
            FindingId::AccountLocked => "account-locked",
            FindingId::AccountDisabled => "account-disabled",
            FindingId::PasswordExpired => "password-expired",
            FindingId::UserNotFound => "user-not-found",
            FindingId::RopgBadPassword => "ropg-bad-password",
            FindingId::RopgMfaRequired => "ropg-mfa-required",
            FindingId::BlockedByConditionalAccess => "blocked-by-conditional-access",
            FindingId::CorrelatedSignIns => "correlated-sign-ins",
            FindingId::LockoutCompliantDevice => "lockout-compliant-device",
            FindingId::JamfConnectBlockedByAppGrant => "jamf-connect-blocked-by-app-grant",
            FindingId::MfaPolicyHitsRopg => "mfa-policy-hits-ropg",
            FindingId::LocationCondition => "location-condition",
            FindingId::BaselineScopesEnforced => "baseline-scopes-enforced",
            FindingId::IgnoredPolicies => "ignored-policies",
            FindingId::JamfConnectConfigInvalid => "jamf-connect-config-invalid",
            FindingId::JamfConnectRopgMismatch => "jamf-connect-ropg-mismatch",
            FindingId::JamfConnectPasswordOutOfSync => "jamf-connect-password-out-of-sync",
            FindingId::JamfConnectDefaultScopes => "jamf-connect-default-scopes",
            FindingId::JamfConnectNetworkCheck => "jamf-connect-network-check",
            FindingId::JamfConnectAuthFailed => "jamf-connect-auth-failed",
            FindingId::ClockSkew => "clock-skew",
            FindingId::RecurringAuthRemoved => "recurring-auth-removed",
            FindingId::StateDiscarded => "state-discarded",
        }
    }

    /// Whether this finding says Entra ID blocks the Mac's device (the
    /// `not-compliant` status) when critical.
    pub(crate) fn blocks_the_device(self) -> bool {
        matches!(
            self,
            FindingId::DeviceRecordMissing
                | FindingId::DeviceDisabled
                | FindingId::DeviceIdMismatch
                | FindingId::DeviceNotCompliant
                | FindingId::DeviceNotPresented
        )
    }

    /// Whether this finding is about ca-doctor's own reading (a log it could
    /// not use), not about the Mac: it never makes a Mac at risk.
    pub(crate) fn is_tool_failure(self) -> bool {
        matches!(self, FindingId::LogIncomplete | FindingId::LogUnrecognised)
    }

    /// Where this ID stands when naming the primary cause: lower first.
    pub(crate) fn cause_rank(self) -> u8 {
        self as u8
    }
}

impl std::fmt::Display for FindingId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How much a finding matters. Info findings never change the status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Severity {
    /// Worth knowing; no action needed.
    Info,
    /// Puts the registration at risk.
    Warning,
    /// The registration is broken or breaking now.
    Critical,
}

impl Severity {
    /// Lower-case name, as in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Critical => "critical",
        }
    }
}

/// One row of the evidence a finding rests on: a label, a value, and
/// optionally supporting lines (what the reports show under a finding).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct EvidenceRow {
    /// What this is, e.g. `count`, `first seen`.
    pub(crate) label: String,
    /// The value, on one line.
    pub(crate) value: String,
    /// Supporting lines (per-day counts, sample log lines, correlation IDs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) items: Vec<String>,
    /// The value as a number, when it is a count.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) count: Option<u64>,
}

impl EvidenceRow {
    /// A label and a value.
    pub(crate) fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        EvidenceRow {
            label: label.into(),
            value: value.into(),
            items: Vec::new(),
            count: None,
        }
    }

    /// A count: its value as text and as a number.
    pub(crate) fn count(label: impl Into<String>, count: u64) -> Self {
        EvidenceRow {
            count: Some(count),
            ..EvidenceRow::new(label, count.to_string())
        }
    }

    /// Adds supporting lines.
    pub(crate) fn with_items(mut self, items: Vec<String>) -> Self {
        self.items = items;
        self
    }
}

/// A diagnosis with its evidence and remediation.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Finding {
    /// Stable ID: safe for Smart Groups and scripts.
    pub(crate) id: FindingId,
    /// How much it matters.
    pub(crate) severity: Severity,
    /// One line saying what is wrong.
    pub(crate) summary: String,
    /// What the diagnosis rests on.
    pub(crate) evidence: Vec<EvidenceRow>,
    /// Numbered next steps, in order.
    pub(crate) remediation: Vec<String>,
    /// Who or what the finding is about when that is not the analysed Mac
    /// user: an Entra user's UPN, an app or a policy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) subject: Option<String>,
}

#[cfg(test)]
impl Finding {
    /// A finding with no evidence or steps, for tests.
    pub(crate) fn bare(id: FindingId, severity: Severity, summary: &str) -> Self {
        Finding {
            id,
            severity,
            summary: summary.to_string(),
            evidence: Vec::new(),
            remediation: Vec::new(),
            subject: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [FindingId; 47] = [
        FindingId::AadIdNotAcquired,
        FindingId::RegistrationIncomplete,
        FindingId::DeviceCertificateExpiring,
        FindingId::AppssoNotAppssoUrl,
        FindingId::TokenCacheUnwritable,
        FindingId::InvalidGrant,
        FindingId::DuplicateMsalAccounts,
        FindingId::SilentAuthFailed,
        FindingId::InteractiveAuthFailed,
        FindingId::TokenStale,
        FindingId::DeviceRecordMissing,
        FindingId::DeviceDisabled,
        FindingId::DeviceIdMismatch,
        FindingId::InventoryStale,
        FindingId::DeviceNotCompliant,
        FindingId::DeviceNotPresented,
        FindingId::DuplicateDeviceRecords,
        FindingId::InputUnreadable,
        FindingId::LogIncomplete,
        FindingId::LogUnrecognised,
        FindingId::NotRegistered,
        FindingId::Deactivated,
        FindingId::JamfConnectAppMisconfigured,
        FindingId::DeviceRegistrationBlocked,
        FindingId::DeviceStateRefused,
        FindingId::AccountLocked,
        FindingId::AccountDisabled,
        FindingId::PasswordExpired,
        FindingId::UserNotFound,
        FindingId::RopgBadPassword,
        FindingId::RopgMfaRequired,
        FindingId::BlockedByConditionalAccess,
        FindingId::CorrelatedSignIns,
        FindingId::LockoutCompliantDevice,
        FindingId::JamfConnectBlockedByAppGrant,
        FindingId::MfaPolicyHitsRopg,
        FindingId::LocationCondition,
        FindingId::IgnoredPolicies,
        FindingId::JamfConnectConfigInvalid,
        FindingId::JamfConnectRopgMismatch,
        FindingId::JamfConnectPasswordOutOfSync,
        FindingId::JamfConnectDefaultScopes,
        FindingId::JamfConnectNetworkCheck,
        FindingId::JamfConnectAuthFailed,
        FindingId::ClockSkew,
        FindingId::RecurringAuthRemoved,
        FindingId::StateDiscarded,
    ];

    #[test]
    fn names_are_the_serde_names_and_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for id in ALL {
            let json = serde_json::to_value(id).unwrap();
            assert_eq!(json.as_str(), Some(id.as_str()));
            assert!(seen.insert(id.as_str()), "{id} twice");
        }
    }

    #[test]
    fn root_causes_rank_before_their_symptoms() {
        let rank = |id: FindingId| id.cause_rank();
        assert!(rank(FindingId::AadIdNotAcquired) < rank(FindingId::AppssoNotAppssoUrl));
        assert!(rank(FindingId::AppssoNotAppssoUrl) < rank(FindingId::SilentAuthFailed));
        assert!(rank(FindingId::InvalidGrant) < rank(FindingId::InteractiveAuthFailed));
        assert!(rank(FindingId::TokenStale) < rank(FindingId::Deactivated));
        assert!(rank(FindingId::NotRegistered) < rank(FindingId::Deactivated));
        let ranks: Vec<u8> = ALL.iter().map(|id| id.cause_rank()).collect();
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
    }
}
