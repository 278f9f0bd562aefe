//! The one place system paths come from: every path is the root (`--root`,
//! `/` in production) joined to a fixed path, so tests and bundle analysis can
//! point the readers at a copy of a Mac's files.

use std::path::{Path, PathBuf};

/// The one place system paths come from: every path is `root` + a fixed
/// relative path, so nothing else in the program names an absolute path.
#[derive(Clone, Debug)]
pub(crate) struct SystemPaths {
    root: PathBuf,
}

impl SystemPaths {
    /// Paths under `root` (`/` on a live Mac).
    pub(crate) fn new(root: impl Into<PathBuf>) -> Self {
        SystemPaths { root: root.into() }
    }

    /// The root every path is resolved under.
    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    fn under(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    /// The system configuration preferences: the computer name.
    pub(crate) fn system_configuration(&self) -> PathBuf {
        self.under("Library/Preferences/SystemConfiguration/preferences.plist")
    }

    /// A path of the Mac (absolute, as the Mac sees it) under the root.
    pub(crate) fn mac_path(&self, absolute: &Path) -> PathBuf {
        let relative = absolute.strip_prefix("/").unwrap_or(absolute);
        self.root.join(relative)
    }

    /// The agent's per-user preferences (`have_an_Azure_id`, last token time),
    /// for a home folder as the Mac sees it.
    pub(crate) fn user_agent_prefs(&self, home: &Path) -> PathBuf {
        self.mac_path(home)
            .join("Library/Preferences/com.jamf.management.jamfAAD.plist")
    }

    /// loginwindow's preferences (`lastUserName`).
    pub(crate) fn loginwindow_prefs(&self) -> PathBuf {
        self.under("Library/Preferences/com.apple.loginwindow.plist")
    }

    /// Where ca-doctor keeps its incremental state.
    pub(crate) fn state_file(&self) -> PathBuf {
        self.under("Library/Application Support/ca-doctor/state.json")
    }

    /// Computer-level Jamf settings (Microsoft CA switch, Entra app ID).
    pub(crate) fn jamf_prefs(&self) -> PathBuf {
        self.under("Library/Preferences/com.jamfsoftware.jamf.plist")
    }

    /// Jamf framework bundle info: its version matches the Jamf Pro server.
    pub(crate) fn jamf_info_plist(&self) -> PathBuf {
        self.under("Library/Application Support/JAMF/Jamf.app/Contents/Info.plist")
    }

    /// The macOS version file.
    pub(crate) fn system_version(&self) -> PathBuf {
        self.under("System/Library/CoreServices/SystemVersion.plist")
    }

    /// Whether the root holds any of the folders ca-doctor reads on a Mac
    /// (`Users`, `Library`, `System`).
    pub(crate) fn looks_like_a_mac(&self) -> bool {
        ["Users", "Library", "System"]
            .iter()
            .any(|folder| self.under(folder).is_dir())
    }

    /// The managed Extensible SSO payload (the SSO extension, Platform SSO).
    pub(crate) fn managed_sso_payload(&self) -> PathBuf {
        self.under("Library/Managed Preferences/com.apple.extensiblesso.plist")
    }

    /// Managed (profile-delivered) preferences of the agent.
    pub(crate) fn managed_agent_prefs(&self) -> PathBuf {
        self.under("Library/Managed Preferences/com.jamf.management.jamfAAD.plist")
    }
}
