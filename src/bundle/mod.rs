//! Diagnostic bundles: `collect` writes one zip with the evidence, the
//! verdict and the reports (secrets always scrubbed, personal data on
//! request); `analyze` reads a bundle (zip or folder) or a plain `log show`
//! export on any OS and reaches the same verdict `check` would have.

pub(crate) mod analyze;
pub(crate) mod archive;
pub(crate) mod collect;
pub(crate) mod manifest;
pub(crate) mod open;
pub(crate) mod output;
pub(crate) mod redact;

/// Entry names inside a bundle.
pub(crate) mod entries {
    /// What was collected and how.
    pub(crate) const MANIFEST: &str = "manifest.json";
    /// The JSON report.
    pub(crate) const VERDICT: &str = "verdict.json";
    /// The terminal report, without colour.
    pub(crate) const REPORT_TEXT: &str = "report.txt";
    /// The HTML report.
    pub(crate) const REPORT_HTML: &str = "report.html";
    /// The live unified log of the window.
    pub(crate) const UNIFIED_LOG: &str = "logs/unified.ndjson";
    /// Computer-level Jamf settings.
    pub(crate) const JAMF_PREFS: &str = "prefs/com.jamfsoftware.jamf.plist";
    /// macOS version.
    pub(crate) const SYSTEM_VERSION: &str = "system/SystemVersion.plist";
    /// Jamf framework version.
    pub(crate) const JAMF_INFO: &str = "system/Jamf-Info.plist";
    /// Folder of managed preferences (`prefs/managed/<user>/…` for one user's).
    pub(crate) const MANAGED_DIR: &str = "prefs/managed";
    /// Folder of Jamf Connect's unmanaged computer-level preferences.
    pub(crate) const JAMF_CONNECT_DIR: &str = "prefs/jamf-connect";
    /// Jamf Connect 2.x's version.
    pub(crate) const JAMF_CONNECT_INFO: &str = "system/JamfConnect-Info.plist";
    /// Self Service+'s version (Jamf Connect 3.x).
    pub(crate) const SELF_SERVICE_PLUS_INFO: &str = "system/SelfServicePlus-Info.plist";
    /// The Jamf Connect login window plug-in's version.
    pub(crate) const JAMF_CONNECT_LOGIN_INFO: &str = "system/JamfConnectLogin-Info.plist";
    /// The prefix of Jamf Connect's preference domains (login window, menu bar, state).
    pub(crate) const JAMF_CONNECT_PREFIX: &str = "com.jamf.connect";
    /// Folder of per-user agent preferences (`prefs/users/<user>/…`).
    pub(crate) const USERS_DIR: &str = "prefs/users";
    /// Folder of per-user registration evidence (`registration/<user>.json`).
    pub(crate) const REGISTRATION_DIR: &str = "registration";
    /// The agent's preference file name.
    pub(crate) const AGENT_PREFS_FILE: &str = "com.jamf.management.jamfAAD.plist";
}

pub(crate) use analyze::{Overrides, analyze};
