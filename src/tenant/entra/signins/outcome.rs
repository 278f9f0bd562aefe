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
    /// The device is not registered.
    DeviceNotRegistered,
    /// The device presented itself and failed to authenticate (50155).
    DeviceAuthFailed,
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
    pub(crate) const ALL: [Outcome; 15] = [
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
        Outcome::DeviceAuthFailed,
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
            530003 | 50097 | 50129 | 50187 => Outcome::DeviceNotRegistered,
            50155 => Outcome::DeviceAuthFailed,
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
            Outcome::DeviceAuthFailed => "device-auth-failed",
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

/// Why an app has its role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum RoleFrom {
    /// Its ID was given (`--jamf-connect-app`) or configured on the Mac.
    Given,
    /// It is one of Jamf's integration apps.
    Integration,
    /// Microsoft's own app (its owner tenant, or a well-known app ID): never
    /// Jamf Connect, whatever its protocol.
    FirstParty,
    /// Guessed: it signs in with the ROPC protocol Jamf Connect's password
    /// check uses.
    Protocol,
    /// Guessed: "Jamf Connect" is in its name.
    Name,
    /// Nothing says it is either.
    Nothing,
}

impl RoleFrom {
    /// Whether the role was guessed rather than known.
    pub(crate) fn guessed(self) -> bool {
        matches!(self, RoleFrom::Protocol | RoleFrom::Name)
    }

    /// How a report says it.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            RoleFrom::Given => "given",
            RoleFrom::Integration => "a Jamf integration app",
            RoleFrom::FirstParty => "Microsoft's own app",
            RoleFrom::Protocol => "its ROPC protocol",
            RoleFrom::Name => "its name",
            RoleFrom::Nothing => "nothing",
        }
    }
}

/// The tenant that owns Microsoft's own (first-party) apps.
const MICROSOFT_TENANT: &str = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

/// Well-known Microsoft apps that may use ROPC themselves: never Jamf Connect.
const MICROSOFT_APPS: &[&str] = &[
    // Azure AD Connect (Entra Connect) sync.
    "cb1056e2-e479-49de-ae31-7812af012ed8",
    // Azure AD PowerShell.
    "1b730954-1685-4b74-9bfd-dac224a7b894",
    // Azure PowerShell.
    "1950a258-227b-4e31-a9cf-717495945fc2",
    // Azure CLI.
    "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
    // Microsoft Graph PowerShell.
    "14d82eec-204b-4c2f-b7e8-296a70dab67e",
    // Microsoft Office.
    "d3590ed6-52b3-4102-aeff-aad2292ab01c",
];

/// The role of a sign-in's app and why: a Jamf Connect app ID given or
/// configured; a Jamf integration app; Microsoft's own app (by its owner
/// tenant or ID), never Jamf Connect; else guessed Jamf Connect from the
/// `ropc` protocol or "Jamf Connect" in its name; or other.
pub(crate) fn app_role(
    app_id: Option<&str>,
    app_name: Option<&str>,
    protocol: Option<&str>,
    owner_tenant: Option<&str>,
    jamf_connect_apps: &[String],
) -> (AppRole, RoleFrom) {
    let id = app_id.unwrap_or("");
    if !id.is_empty() && jamf_connect_apps.iter().any(|a| a.eq_ignore_ascii_case(id)) {
        return (AppRole::JamfConnect, RoleFrom::Given);
    }
    if DEVICE_COMPLIANCE_APPS
        .iter()
        .any(|a| a.eq_ignore_ascii_case(id))
    {
        return (AppRole::DeviceCompliance, RoleFrom::Integration);
    }
    let first_party = owner_tenant.is_some_and(|t| t.trim().eq_ignore_ascii_case(MICROSOFT_TENANT))
        || MICROSOFT_APPS.iter().any(|a| a.eq_ignore_ascii_case(id));
    if first_party {
        return (AppRole::Other, RoleFrom::FirstParty);
    }
    if protocol.is_some_and(|p| p.trim().eq_ignore_ascii_case("ropc")) {
        (AppRole::JamfConnect, RoleFrom::Protocol)
    } else if app_name.is_some_and(|n| contains_ignoring_case(n, "jamf connect")) {
        (AppRole::JamfConnect, RoleFrom::Name)
    } else {
        (AppRole::Other, RoleFrom::Nothing)
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
        let role = |id: &str, name: Option<&str>, protocol: Option<&str>, owner: Option<&str>| {
            app_role(Some(id), name, protocol, owner, &given)
        };
        assert_eq!(
            role(
                "c0ffee00-0000-0000-0000-000000000001",
                None,
                Some("ropc"),
                None
            ),
            (AppRole::JamfConnect, RoleFrom::Given)
        );
        assert_eq!(
            role("x", None, Some("ropc"), None),
            (AppRole::JamfConnect, RoleFrom::Protocol)
        );
        assert_eq!(
            role("x", Some("Jamf Connect ROPG"), None, None),
            (AppRole::JamfConnect, RoleFrom::Name)
        );
        assert_eq!(
            role("B03C10A8-71C7-45F9-B44A-3335AB76E970", None, None, None),
            (AppRole::DeviceCompliance, RoleFrom::Integration)
        );
        assert_eq!(
            role("teams", Some("Microsoft Teams"), None, None),
            (AppRole::Other, RoleFrom::Nothing)
        );
        // Microsoft's own apps are never Jamf Connect, whatever their protocol.
        assert_eq!(
            role(
                "cb1056e2-e479-49de-ae31-7812af012ed8",
                Some("Azure AD Connect"),
                Some("ropc"),
                None
            ),
            (AppRole::Other, RoleFrom::FirstParty)
        );
        assert_eq!(
            role(
                "y",
                Some("Some Microsoft tool"),
                Some("ropc"),
                Some("F8CDEF31-A31E-4B4A-93E4-5F571E91255A")
            ),
            (AppRole::Other, RoleFrom::FirstParty)
        );
    }
}
