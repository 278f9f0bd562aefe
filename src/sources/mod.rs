//! Readers of everything ca-doctor looks at on a Mac. Every system path is
//! built here from one root (`--root`, `/` in production), so tests and
//! bundle analysis can point the readers at a copy of a Mac's files.

pub mod accounts;
pub mod commands;
pub mod plist_values;
pub mod prefs;
pub mod registration;
pub mod user;

use serde::Serialize;
use std::path::{Path, PathBuf};

/// The one place system paths come from: every path is `root` + a fixed
/// relative path, so nothing else in the program names an absolute path.
#[derive(Clone, Debug)]
pub struct SystemPaths {
    root: PathBuf,
}

impl SystemPaths {
    /// Paths under `root` (`/` on a live Mac).
    pub fn new(root: impl Into<PathBuf>) -> Self {
        SystemPaths { root: root.into() }
    }

    /// The root every path is resolved under.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn under(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// A path of the Mac (absolute, as the Mac sees it) under the root.
    pub fn mac_path(&self, absolute: &Path) -> PathBuf {
        let relative = absolute.strip_prefix("/").unwrap_or(absolute);
        self.root.join(relative)
    }

    /// The agent's per-user preferences (`have_an_Azure_id`, last token time),
    /// for a home folder as the Mac sees it.
    pub fn user_agent_prefs(&self, home: &Path) -> PathBuf {
        self.mac_path(home)
            .join("Library/Preferences/com.jamf.management.jamfAAD.plist")
    }

    /// loginwindow's preferences (`lastUserName`).
    pub fn loginwindow_prefs(&self) -> PathBuf {
        self.under("Library/Preferences/com.apple.loginwindow.plist")
    }

    /// Where ca-doctor keeps its incremental state.
    pub fn state_file(&self) -> PathBuf {
        self.under("Library/Application Support/ca-doctor/state.json")
    }

    /// Computer-level Jamf settings (Microsoft CA switch, Entra app ID).
    pub fn jamf_prefs(&self) -> PathBuf {
        self.under("Library/Preferences/com.jamfsoftware.jamf.plist")
    }

    /// Jamf framework bundle info: its version matches the Jamf Pro server.
    pub fn jamf_info_plist(&self) -> PathBuf {
        self.under("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist")
    }

    /// The macOS version file.
    pub fn system_version(&self) -> PathBuf {
        self.under("System/Library/CoreServices/SystemVersion.plist")
    }

    /// Managed (profile-delivered) preferences of the agent.
    pub fn managed_agent_prefs(&self) -> PathBuf {
        self.under("Library/Managed Preferences/com.jamf.management.jamfAAD.plist")
    }
}

/// What happened when an input was looked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum InputState {
    /// Read and understood.
    Read,
    /// Not there (often normal: e.g. no managed preferences).
    Missing,
    /// There, but could not be read or parsed.
    Unreadable,
}

/// One input ca-doctor looked at, for the report and the `input-unreadable` finding.
#[derive(Clone, Debug, Serialize)]
pub struct InputRecord {
    /// What the input is, e.g. `user agent preferences`.
    pub what: String,
    /// Where it was looked for.
    pub path: String,
    /// Whether it was read.
    pub state: InputState,
    /// Why it could not be read (one line).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}
