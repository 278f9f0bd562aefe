//! Which compliance path a Mac is on, and where one account stands on it.
//!
//! A Mac reaches Entra ID by one of three paths: the legacy Jamf "macOS
//! Conditional Access" (the agent signs in to a Conditional Access app),
//! Device Compliance registered through Microsoft's SSO extension (Company
//! Portal), or Device Compliance with Platform SSO (the Mac Entra joined).
//! The path is read from the agent's app ID (`microsoftCANativeClientAppId`),
//! the managed SSO payload, `app-sso platform -s` and the agent's
//! `getPSSOStatus`; the account's state from Apple's user state,
//! `registrationCompleted`, the agent's status and its preferences.

use super::facts::Facts;
use crate::mac::prefs::{Integration, integration_of};
use crate::mac::sso_payload::MICROSOFT_SSO_EXTENSION;
use serde::Serialize;

/// How the Mac reaches Entra ID for compliance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum CompliancePath {
    /// Jamf's legacy macOS Conditional Access (retired by Microsoft on
    /// 2024-09-01).
    LegacyConditionalAccess,
    /// Device Compliance, registered through Microsoft's SSO extension.
    DeviceCompliance,
    /// Device Compliance with Platform SSO (the Mac Entra joined).
    DeviceCompliancePlatformSso,
    /// No integration is set up on the Mac.
    None,
    /// The Mac's settings name no known integration.
    Unknown,
}

impl CompliancePath {
    /// The path in words.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            CompliancePath::LegacyConditionalAccess => "legacy macOS Conditional Access",
            CompliancePath::DeviceCompliance => "Device Compliance via the SSO extension",
            CompliancePath::DeviceCompliancePlatformSso => "Device Compliance with Platform SSO",
            CompliancePath::None => "none (no integration set up on this Mac)",
            CompliancePath::Unknown => "unknown (the agent's app ID names no integration)",
        }
    }
}

/// The path read, with what it was read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct PathReading {
    /// The path.
    pub(crate) path: CompliancePath,
    /// What says so, one line each.
    pub(crate) grounds: Vec<String>,
}

/// Apple's Platform SSO state of a user (`app-sso platform -s`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum UserState {
    /// `POUserStateNormal (0)`: registered.
    Normal,
    /// `POUserStateNeedsNewKeys (1)`: the user's keys are lost (a password
    /// reset from FileVault recovery or MDM).
    NeedsNewKeys,
    /// `POUserStateNeedsRegistration (2)`: the user has not registered.
    NeedsRegistration,
}

impl UserState {
    /// Reads Apple's state name (with or without its number).
    pub(crate) fn parse(text: &str) -> Option<UserState> {
        let text = text.trim();
        if text.contains("NeedsNewKeys") || text == "1" {
            Some(UserState::NeedsNewKeys)
        } else if text.contains("NeedsRegistration") || text == "2" {
            Some(UserState::NeedsRegistration)
        } else if text.contains("Normal") || text == "0" {
            Some(UserState::Normal)
        } else {
            None
        }
    }

    /// Apple's name and number.
    pub(crate) fn apple_name(self) -> &'static str {
        match self {
            UserState::Normal => "POUserStateNormal (0)",
            UserState::NeedsNewKeys => "POUserStateNeedsNewKeys (1)",
            UserState::NeedsRegistration => "POUserStateNeedsRegistration (2)",
        }
    }
}

/// The agent's `getPSSOStatus` code in words (MSAL's `MSALPlatformSSOStatus`).
pub(crate) fn agent_status_name(code: u8) -> &'static str {
    match code {
        0 => "0 NotEnabled",
        1 => "1 EnabledNotRegistered",
        2 => "2 EnabledAndRegistered",
        3 => "3 NeedsRepair",
        _ => "an unknown code",
    }
}

/// One account's row of the state matrix: each source's value, `None`
/// where the source was not read or did not say.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct AccountRow {
    /// Apple's user state.
    pub(crate) user_state: Option<UserState>,
    /// `registrationCompleted` of the device configuration.
    pub(crate) registration_completed: Option<bool>,
    /// The agent's `getPSSOStatus` code.
    pub(crate) agent_status: Option<u8>,
    /// Whether the agent ran for the account (its preferences exist);
    /// `None` when they could not be read.
    pub(crate) agent_ran: Option<bool>,
    /// `have_an_Azure_id`.
    pub(crate) have_an_azure_id: Option<bool>,
    /// `microsoftCAEnabled`.
    pub(crate) microsoft_ca_enabled: Option<bool>,
}

impl AccountRow {
    /// Whether Platform SSO registered the device for this account: the
    /// device configuration is complete (or the agent says registered) and
    /// Apple's state does not ask for registration or keys.
    pub(crate) fn psso_registered(&self) -> bool {
        (self.registration_completed == Some(true) || self.agent_status == Some(2))
            && !matches!(
                self.user_state,
                Some(UserState::NeedsRegistration | UserState::NeedsNewKeys)
            )
            && self.agent_status != Some(3)
    }
}

impl Facts {
    /// The compliance path of this Mac, and what says so.
    pub(crate) fn compliance_path(&self) -> PathReading {
        let mut grounds = Vec::new();
        let app_id = self.prefs.integration_app_id.as_deref().map(str::trim);
        let psso = self
            .registration
            .as_ref()
            .and_then(|r| r.platform_sso_state.as_ref())
            .filter(|state| state.configured);
        let microsoft_extension = |id: &str| id.eq_ignore_ascii_case(MICROSOFT_SSO_EXTENSION);
        let mut platform_sso = false;
        if let Some(state) = psso
            && state
                .extension_identifier
                .as_deref()
                .is_some_and(microsoft_extension)
        {
            platform_sso = true;
            grounds.push(format!(
                "app-sso platform -s: Platform SSO configured with {MICROSOFT_SSO_EXTENSION}"
            ));
        }
        if let Some(payload) = &self.prefs.sso_payload
            && payload.platform_sso
            && payload.is_microsofts()
        {
            platform_sso = true;
            grounds.push(format!(
                "managed SSO payload: Platform SSO ({}) with {MICROSOFT_SSO_EXTENSION}",
                payload
                    .authentication_method
                    .as_deref()
                    .unwrap_or("no AuthenticationMethod")
            ));
        }
        if let Some(code @ 1..=3) = self.agent_status_code() {
            platform_sso = true;
            grounds.push(format!("agent getPSSOStatus: {}", agent_status_name(code)));
        }
        if !platform_sso && self.file_logs.platform_sso_not_enabled {
            grounds.push(
                "the SSO extension's log: Platform SSO not enabled for the registration (WPJPlatformSSONotEnabled)"
                    .to_string(),
            );
        }
        let integration = app_id.and_then(integration_of);
        if let Some(id) = app_id {
            grounds.push(format!(
                "microsoftCANativeClientAppId: {id} ({})",
                crate::mac::prefs::integration_name(id).unwrap_or("no known integration")
            ));
        }
        let path = if platform_sso {
            CompliancePath::DeviceCompliancePlatformSso
        } else if integration == Some(Integration::DeviceCompliance) {
            CompliancePath::DeviceCompliance
        } else if integration == Some(Integration::LegacyConditionalAccess) {
            CompliancePath::LegacyConditionalAccess
        } else if app_id.is_some() {
            CompliancePath::Unknown
        } else if self.prefs.microsoft_ca_enabled == Some(true) || self.prefs.user_prefs_present {
            grounds.push("no microsoftCANativeClientAppId in the Jamf settings".to_string());
            CompliancePath::Unknown
        } else {
            CompliancePath::None
        };
        PathReading { path, grounds }
    }

    /// The analysed account's row of the state matrix.
    pub(crate) fn account_row(&self) -> AccountRow {
        let psso = self
            .registration
            .as_ref()
            .and_then(|r| r.platform_sso_state.as_ref());
        AccountRow {
            user_state: psso
                .and_then(|state| state.user_state.as_deref())
                .and_then(UserState::parse),
            registration_completed: psso.and_then(|state| state.registration_completed),
            agent_status: self.agent_status_code(),
            agent_ran: (self.prefs_looked_for && !self.agent_prefs_unreadable())
                .then_some(self.prefs.user_prefs_present),
            have_an_azure_id: self.prefs.have_an_azure_id,
            microsoft_ca_enabled: self.prefs.microsoft_ca_enabled,
        }
    }

    /// The agent's `getPSSOStatus` code, when it answered with one.
    pub(crate) fn agent_status_code(&self) -> Option<u8> {
        self.registration
            .as_ref()
            .and_then(|r| r.agent_status.as_ref())
            .and_then(|status| status.code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apple_user_states_are_read_by_name_or_number() {
        for (text, state) in [
            ("POUserStateNormal (0)", Some(UserState::Normal)),
            ("POUserStateNormal", Some(UserState::Normal)),
            ("POUserStateNeedsNewKeys (1)", Some(UserState::NeedsNewKeys)),
            (
                "POUserStateNeedsRegistration",
                Some(UserState::NeedsRegistration),
            ),
            ("2", Some(UserState::NeedsRegistration)),
            ("POUserStateSomethingNew (7)", None),
        ] {
            assert_eq!(UserState::parse(text), state, "{text}");
        }
    }

    #[test]
    fn registered_needs_the_user_state_to_agree() {
        let row = AccountRow {
            registration_completed: Some(true),
            user_state: Some(UserState::Normal),
            ..AccountRow::default()
        };
        assert!(row.psso_registered());
        let new_keys = AccountRow {
            user_state: Some(UserState::NeedsNewKeys),
            ..row.clone()
        };
        assert!(!new_keys.psso_registered());
        let by_agent = AccountRow {
            agent_status: Some(2),
            ..AccountRow::default()
        };
        assert!(by_agent.psso_registered());
        let repair = AccountRow {
            agent_status: Some(3),
            ..row
        };
        assert!(!repair.psso_registered());
    }
}
