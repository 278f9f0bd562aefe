//! Registration evidence beyond the agent's preferences, each optional:
//! Platform SSO (`app-sso platform -s`, run as the user), the agent's own
//! `getPSSOStatus` (Jamf Pro 11.21.1 and later), and the device
//! certificates in the user's login keychain (`security find-certificate -a
//! -p`, kept when issued by `MS-Organization-Access`). A failing or missing
//! command is recorded, never fatal. The commands' answers are read by one
//! function, on the Mac and from a bundle's copies.

pub(crate) mod agent_status;
pub(crate) mod certificate;
mod gather;
pub(crate) mod platform_sso;

#[cfg(test)]
pub(crate) use gather::CheckRecord;
pub(crate) use gather::{CheckKind, Registration, check};
