//! What a sign-in's error code means for an admin (the outcome), and what
//! the app it was for is to a Jamf fleet (its role).

use crate::util::text::contains_ignoring_case;
use serde::Serialize;

/// What a sign-in came to, from its error code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Outcome {
    /// Error code 0.
    Success,
    /// The password was right; MFA was demanded.
    MfaRequired,
    /// Invalid user name or password.
    BadPassword,
    /// The account is locked.
    Locked,
    /// The password expired.
    PasswordExpired,
    /// The account is disabled.
    Disabled,
    /// No such user in the tenant.
    UserNotFound,
    /// A Conditional Access policy blocked it.
    BlockedByCa,
    /// The device is not compliant.
    DeviceNotCompliant,
    /// The device is not registered or did not authenticate.
    DeviceNotRegistered,
    /// The app registration is wrong (public client flows, IDs, consent).
    AppMisconfigured,
    /// A token or session expired.
    TokenExpired,
    /// An expected interruption (keep me signed in, account selection).
    Interrupted,
    /// Any other failure.
    OtherFailure,
}

impl Outcome {
    /// Every outcome, in report order.
    pub(crate) const ALL: [Outcome; 14] = [
        Outcome::Success,
        Outcome::MfaRequired,
        Outcome::BadPassword,
        Outcome::Locked,
        Outcome::PasswordExpired,
        Outcome::Disabled,
        Outcome::UserNotFound,
        Outcome::BlockedByCa,
        Outcome::DeviceNotCompliant,
        Outcome::DeviceNotRegistered,
        Outcome::AppMisconfigured,
        Outcome::TokenExpired,
        Outcome::Interrupted,
        Outcome::OtherFailure,
    ];

    /// The outcome of an error code.
    pub(crate) fn of(code: i64) -> Outcome {
        match code {
            0 => Outcome::Success,
            50074 | 50076 | 50079 | 50072 | 50158 => Outcome::MfaRequired,
            50126 => Outcome::BadPassword,
            50053 => Outcome::Locked,
            50055 | 50144 => Outcome::PasswordExpired,
            50057 => Outcome::Disabled,
            50034 | 50020 => Outcome::UserNotFound,
            53003 | 530032 | 53002 | 530035 | 53004 | 50131 => Outcome::BlockedByCa,
            53000 | 53001 => Outcome::DeviceNotCompliant,
            530003 | 50097 | 50129 | 50187 | 50155 => Outcome::DeviceNotRegistered,
            7000218 | 700016 | 65001 | 90094 | 500011 | 50011 | 50059 => Outcome::AppMisconfigured,
            50173 | 70043 | 700082 | 50133 | 50089 => Outcome::TokenExpired,
            50140 | 50058 | 16000 | 16001 | 16003 => Outcome::Interrupted,
            _ => Outcome::OtherFailure,
        }
    }

    /// The stable name, as in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::MfaRequired => "mfa-required",
            Outcome::BadPassword => "bad-password",
            Outcome::Locked => "locked",
            Outcome::PasswordExpired => "password-expired",
            Outcome::Disabled => "disabled",
            Outcome::UserNotFound => "user-not-found",
            Outcome::BlockedByCa => "blocked-by-ca",
            Outcome::DeviceNotCompliant => "device-not-compliant",
            Outcome::DeviceNotRegistered => "device-not-registered",
            Outcome::AppMisconfigured => "app-misconfigured",
            Outcome::TokenExpired => "token-expired",
            Outcome::Interrupted => "interrupted",
            Outcome::OtherFailure => "other-failure",
        }
    }
}

/// What an app is to a Jamf fleet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum AppRole {
    /// Jamf Connect's sign-in or password check.
    JamfConnect,
    /// The Jamf Conditional Access / Device Compliance registration.
    DeviceCompliance,
    /// Anything else.
    Other,
}

impl AppRole {
    /// The stable name, as in JSON.
    pub(crate) fn name(self) -> &'static str {
        match self {
            AppRole::JamfConnect => "jamf-connect",
            AppRole::DeviceCompliance => "device-compliance",
            AppRole::Other => "other",
        }
    }
}

/// The Jamf integration apps the Mac's agent signs in to.
const DEVICE_COMPLIANCE_APPS: &[&str] = &[
    "b03c10a8-71c7-45f9-b44a-3335ab76e970",
    "dcf07df3-346f-4f0e-b803-c1f0ea0fb5ae",
    "55d611b0-7d33-4d38-8df3-6041868930d7",
];

/// The role of a sign-in's app: a Jamf Connect app ID given or configured,
/// the `ropc` protocol, or "Jamf Connect" in its name; a Jamf integration
/// app; or other.
pub(crate) fn app_role(
    app_id: Option<&str>,
    app_name: Option<&str>,
    protocol: Option<&str>,
    jamf_connect_apps: &[String],
) -> AppRole {
    let id = app_id.unwrap_or("");
    if !id.is_empty() && jamf_connect_apps.iter().any(|a| a.eq_ignore_ascii_case(id)) {
        return AppRole::JamfConnect;
    }
    if DEVICE_COMPLIANCE_APPS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(id))
    {
        return AppRole::DeviceCompliance;
    }
    let ropc = protocol.is_some_and(|p| p.trim().eq_ignore_ascii_case("ropc"));
    let named = app_name.is_some_and(|n| contains_ignoring_case(n, "jamf connect"));
    if ropc || named {
        AppRole::JamfConnect
    } else {
        AppRole::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_outcome_table() {
        for (code, outcome) in [
            (0, "success"),
            (50076, "mfa-required"),
            (50126, "bad-password"),
            (50053, "locked"),
            (50144, "password-expired"),
            (50057, "disabled"),
            (50020, "user-not-found"),
            (530032, "blocked-by-ca"),
            (53000, "device-not-compliant"),
            (530003, "device-not-registered"),
            (7000218, "app-misconfigured"),
            (700082, "token-expired"),
            (50140, "interrupted"),
            (12345, "other-failure"),
        ] {
            assert_eq!(Outcome::of(code).name(), outcome, "{code}");
            let json = serde_json::to_value(Outcome::of(code)).unwrap();
            assert_eq!(json, outcome);
        }
    }

    #[test]
    fn roles() {
        let given = vec!["C0FFEE00-0000-0000-0000-000000000001".to_string()];
        assert_eq!(
            app_role(
                Some("c0ffee00-0000-0000-0000-000000000001"),
                None,
                None,
                &given
            ),
            AppRole::JamfConnect
        );
        assert_eq!(
            app_role(Some("x"), None, Some("ropc"), &[]),
            AppRole::JamfConnect
        );
        assert_eq!(
            app_role(Some("x"), Some("Jamf Connect ROPG"), None, &[]),
            AppRole::JamfConnect
        );
        assert_eq!(
            app_role(
                Some("B03C10A8-71C7-45F9-B44A-3335AB76E970"),
                None,
                None,
                &[]
            ),
            AppRole::DeviceCompliance
        );
        assert_eq!(
            app_role(Some("teams"), Some("Microsoft Teams"), None, &[]),
            AppRole::Other
        );
    }
}
