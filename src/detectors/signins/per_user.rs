//! The per-user findings of the sign-in exports, as one table: each row
//! names the finding, its severity, the app role and outcomes it counts, its
//! summary and its next steps. [`per_user`] turns a row into a
//! finding about the users whose sign-ins show it.

use crate::evidence::signins::{SignInEvidence, UserStats};
use crate::findings::{EvidenceRow, Finding, FindingId, Severity};
use crate::tenant::entra::signins::outcome::{AppRole, Outcome};
use crate::util::text::count;

/// The evidence label of the policies a finding's sign-ins saw fail.
pub(crate) const FAILED_POLICIES: &str = "policies that failed";

/// Users listed in a finding's evidence at most; the rest are counted.
const USERS_LISTED: usize = 50;

/// Every per-user finding, in report order.
const PER_USER: &[PerUser] = &[
    // `jamf-connect-app-misconfigured`: a Jamf Connect app registration refused by Entra ID:
    // 7000218 needs "Allow public client flows"; 700016 a wrong client ID or tenant; 65001 /
    // 90094 consent; 500011 the custom API app is missing; 50011 the redirect URI.
    PerUser {
        id: FindingId::JamfConnectAppMisconfigured,
        severity: Severity::Critical,
        roles: &[AppRole::JamfConnect],
        devices: false,
        outcomes: &[Outcome::AppMisconfigured],
        summary: |users, sign_ins| {
            format!(
                "Entra ID refused {} to a Jamf Connect app because of its registration ({})",
                count(sign_ins, "sign-in", "sign-ins"),
                count(users as u64, "user", "users")
            )
        },
        remediation: &[
            "7000218: in the app registration, Authentication, set \"Allow public client flows\" to Yes (the ROPG password check needs it).",
            "700016: check `OIDCClientID` / `OIDCROPGID` and `OIDCTenant` in com.jamf.connect.login against the app registration (Jamf's sample profiles ship placeholder IDs).",
            "65001 / 90094: grant admin consent to the app's API permissions.",
            "500011: the custom API app (`api://<app id>/jamfconnect`) is missing or its ID is wrong in the ROPG scope.",
            "50011: set the redirect URI to `https://127.0.0.1/jamfconnect` on both the app registration and `OIDCRedirectURI`.",
        ],
    },
    // `device-registration-blocked`: the Jamf device-compliance registration was refused for a
    // device condition (530003, 50097, 50129, 53000, 53001…): the registration needs a token
    // before the Mac can be compliant.
    PerUser {
        id: FindingId::DeviceRegistrationBlocked,
        severity: Severity::Critical,
        roles: &[AppRole::DeviceCompliance],
        devices: false,
        outcomes: &[
            Outcome::DeviceNotRegistered,
            Outcome::DeviceAuthFailed,
            Outcome::DeviceNotCompliant,
        ],
        summary: |users, sign_ins| {
            format!(
                "The device-compliance registration was refused {} for {}: a policy asks for a compliant or registered device before the Mac can register",
                count(sign_ins, "time", "times"),
                count(users as u64, "user", "users")
            )
        },
        remediation: &[
            "Exclude the Jamf integration app (the app shown, e.g. \"User registration app for Device Compliance\") from the policies named above that require a compliant or registered device.",
            "Then have the user run the registration again from Self Service; check with `sudo ca-doctor check` on the Mac.",
        ],
    },
    // `device-state-refused`: sign-ins to the users' apps (Teams, Outlook, a browser) refused
    // for the device's state (53000, 53001, 530003, 50097, 50129, 50187): the device presented is
    // not compliant or not registered, or no device was presented at all.
    PerUser {
        id: FindingId::DeviceStateRefused,
        severity: Severity::Warning,
        roles: &[AppRole::Other, AppRole::JamfConnect],
        devices: true,
        outcomes: &[
            Outcome::DeviceNotCompliant,
            Outcome::DeviceNotRegistered,
            Outcome::DeviceAuthFailed,
        ],
        summary: |users, sign_ins| {
            format!(
                "Entra ID refused {} of {} for the device's state: a policy asks for a compliant or registered device",
                count(sign_ins, "sign-in", "sign-ins"),
                count(users as u64, "user", "users")
            )
        },
        remediation: &[
            "Follow each user's device chain: `ca-doctor device --upn USER --tenant EXPORTS` (or `--fetch`) says which device the sign-ins presented, its Entra record and Jamf Pro's compliance record.",
            "Where no device was presented, the browser or app could not show one: Chrome needs Microsoft's Single Sign On extension, Firefox and private windows show none; on the Mac, `sudo ca-doctor check --user USER` says whether it is registered.",
        ],
    },
    // `account-locked`: sign-ins refused because the account is locked (50053).
    PerUser {
        id: FindingId::AccountLocked,
        severity: Severity::Critical,
        roles: &[],
        devices: false,
        outcomes: &[Outcome::Locked],
        summary: |users, sign_ins| {
            format!(
                "{} locked ({}): they cannot sign in anywhere until unlocked",
                count(users as u64, "account is", "accounts are"),
                count(sign_ins, "refused sign-in", "refused sign-ins")
            )
        },
        remediation: &[
            "Check the sign-in logs of these users for attempts from unknown IP addresses: Smart Lockout also locks on sign-ins from malicious addresses.",
            "Unlock the account (or wait for the lockout to end) and have the user sign in again; on the Mac, Jamf Connect will ask for the password at the next check.",
        ],
    },
    // `account-disabled`: sign-ins of disabled accounts (50057).
    PerUser {
        id: FindingId::AccountDisabled,
        severity: Severity::Critical,
        roles: &[],
        devices: false,
        outcomes: &[Outcome::Disabled],
        summary: |users, sign_ins| {
            format!(
                "{} disabled in Entra ID ({})",
                count(users as u64, "account is", "accounts are"),
                count(sign_ins, "sign-in", "sign-ins")
            )
        },
        remediation: &[
            "If the user has left, remove the Mac from scope (Jamf Connect and the Conditional Access integration keep trying).",
            "If not, enable the account in Entra ID (Users, the user, Account enabled).",
        ],
    },
    // `password-expired`: sign-ins refused because the password expired (50055, 50144).
    PerUser {
        id: FindingId::PasswordExpired,
        severity: Severity::Warning,
        roles: &[],
        devices: false,
        outcomes: &[Outcome::PasswordExpired],
        summary: |users, sign_ins| {
            format!(
                "{} expired ({})",
                count(users as u64, "user's password", "users' passwords"),
                count(sign_ins, "sign-in", "sign-ins")
            )
        },
        remediation: &[
            "Have each user change their password (at the Jamf Connect login window or in the menu bar), then sign in again.",
            "If passwords should not expire, check the password policy of the tenant (and of on-premises AD for synced users: 50144).",
        ],
    },
    // `user-not-found`: sign-ins of users Entra ID does not know (50034, 50020).
    PerUser {
        id: FindingId::UserNotFound,
        severity: Severity::Warning,
        roles: &[],
        devices: false,
        outcomes: &[Outcome::UserNotFound],
        summary: |users, sign_ins| {
            format!(
                "{} not found in the tenant ({})",
                count(users as u64, "user was", "users were"),
                count(sign_ins, "sign-in", "sign-ins")
            )
        },
        remediation: &[
            "Check the user name the Mac sends (Jamf Connect uses the UPN it was given, e.g. an old alias or a typo).",
            "A guest from another identity provider (50020) needs to be invited to this tenant, or to sign in with a home-tenant account.",
        ],
    },
    // `ropg-bad-password`: Jamf Connect password checks refused with a wrong password.
    PerUser {
        id: FindingId::RopgBadPassword,
        severity: Severity::Warning,
        roles: &[AppRole::JamfConnect],
        devices: false,
        outcomes: &[Outcome::BadPassword],
        summary: |users, sign_ins| {
            format!(
                "Jamf Connect password checks were refused {} for {}: the Mac's password and the Entra password differ, or the user mistyped",
                count(sign_ins, "time", "times"),
                count(users as u64, "user", "users")
            )
        },
        remediation: &[
            "Ask each user whether they changed their Entra password elsewhere: Jamf Connect then asks them to sync the local password at the next check.",
            "If the count keeps growing for one user, check the account for password-spray attempts in Entra ID (Users, the user, Sign-in logs).",
        ],
    },
    // `ropg-mfa-required`: Jamf Connect password checks (ROPG) answered "MFA required": the
    // password was right, but the portal shows failures and they can raise the users' risk.
    PerUser {
        id: FindingId::RopgMfaRequired,
        severity: Severity::Warning,
        roles: &[AppRole::JamfConnect],
        devices: false,
        outcomes: &[Outcome::MfaRequired],
        summary: |users, sign_ins| {
            format!(
                "{} answered \"MFA required\" for {}: the password was right; these are not real failures",
                count(
                    sign_ins,
                    "Jamf Connect password check was",
                    "Jamf Connect password checks were"
                ),
                count(users as u64, "user", "users")
            )
        },
        remediation: &[
            "Use a custom API scope for the ROPG check: expose `api://<app id>/jamfconnect` on a \"Conditional Access Policy API\" app registration, set it as the ROPG scope in Jamf Connect, and exclude that API app from the MFA policy (the policies named above).",
            "Or exempt the app with a custom security attribute and an application filter in the MFA policy.",
            "Until then, check the password less often from the menu bar: `PasswordPolicies` → `NetworkCheck` 30 to 60 minutes and `CheckOnNetworkChange` false, so that fewer false failures are logged.",
        ],
    },
    // `blocked-by-conditional-access`: sign-ins blocked by a Conditional Access policy (53003,
    // 530032, 53002, 530035, 53004, 50131).
    PerUser {
        id: FindingId::BlockedByConditionalAccess,
        severity: Severity::Warning,
        roles: &[],
        devices: false,
        outcomes: &[Outcome::BlockedByCa],
        summary: |users, sign_ins| {
            format!(
                "Conditional Access blocked {} of {}",
                count(sign_ins, "sign-in", "sign-ins"),
                count(users as u64, "user", "users")
            )
        },
        remediation: &[
            "Open each policy named above in Entra ID (Protection, Conditional Access) and check its grant controls against the apps shown: \"require approved client app\" and \"app protection policy\" block Jamf Connect outright.",
            "Use the What If tool with one of these users and the app to see which policy applies, then exclude the Jamf Connect or Jamf integration app where appropriate.",
        ],
    },
];

/// Raises every per-user finding whose users show it, in table order.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    PER_USER
        .iter()
        .flat_map(|row| per_user(evidence, row))
        .collect()
}

/// One line of evidence about one user.
fn user_line(user: &str, stats: &UserStats, devices: bool) -> String {
    let mut line = format!("{user}: {}", count(stats.count, "sign-in", "sign-ins"));
    if let (Some(first), Some(last)) = (stats.first, stats.last) {
        line.push_str(&format!(
            ", {} to {}",
            first.format("%Y-%m-%d %H:%M"),
            last.format("%Y-%m-%d %H:%M")
        ));
    }
    if !stats.apps.is_empty() {
        let apps: Vec<&str> = stats.apps.iter().map(String::as_str).collect();
        line.push_str(&format!(" ({})", apps.join(", ")));
    }
    if devices {
        line.push_str(&match stats.with_device {
            0 => "; no device presented".to_string(),
            n if n == stats.count => "; a device presented".to_string(),
            n => format!("; a device presented in {n}"),
        });
    }
    line
}

/// What a per-user finding says.
struct PerUser {
    /// The finding.
    id: FindingId,
    /// Its severity.
    severity: Severity,
    /// Whose apps (none: any app's).
    roles: &'static [AppRole],
    /// Whether each user's line says how many sign-ins presented a device.
    devices: bool,
    /// Which outcomes.
    outcomes: &'static [Outcome],
    /// The summary, given the number of users and of sign-ins.
    summary: fn(usize, u64) -> String,
    /// The next steps.
    remediation: &'static [&'static str],
}

/// The finding of `what` over the evidence, when any user shows it: one
/// evidence line per user (most sign-ins first), the failing policies and
/// authentication requirements seen.
fn per_user(evidence: &SignInEvidence, what: &PerUser) -> Vec<Finding> {
    let roles: Vec<Option<AppRole>> = match what.roles {
        [] => vec![None],
        roles => roles.iter().copied().map(Some).collect(),
    };
    // A user refused with several outcomes (53001 and 530003) or on apps
    // of several roles is one user: their counts are added up.
    let mut merged: std::collections::BTreeMap<&str, UserStats> = Default::default();
    for outcome in what.outcomes {
        for role in &roles {
            for (user, stats) in evidence.users(*role, *outcome) {
                merged.entry(user).or_default().merge(stats);
            }
        }
    }
    let mut users: Vec<(&str, &UserStats)> = merged.iter().map(|(u, s)| (*u, s)).collect();
    users.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
    if users.is_empty() {
        return Vec::new();
    }
    let sign_ins: u64 = users.iter().map(|(_, s)| s.count).sum();
    let mut lines: Vec<String> = users
        .iter()
        .take(USERS_LISTED)
        .map(|(user, stats)| user_line(user, stats, what.devices))
        .collect();
    if users.len() > USERS_LISTED {
        lines.push(format!("… and {} more users", users.len() - USERS_LISTED));
    }
    let mut policies: std::collections::BTreeMap<&str, u64> = Default::default();
    let mut requirements = std::collections::BTreeSet::new();
    let mut codes: std::collections::BTreeMap<i64, u64> = Default::default();
    for (_, stats) in &users {
        for (name, n) in &stats.failing_policies {
            *policies.entry(name.as_str()).or_default() += n;
        }
        requirements.extend(stats.requirements.iter().map(String::as_str));
        for (code, n) in &stats.codes {
            *codes.entry(*code).or_default() += n;
        }
    }
    let mut found = vec![
        EvidenceRow::count("users", users.len() as u64).with_items(lines),
        EvidenceRow::count("sign-ins", sign_ins),
        EvidenceRow::new(
            "error codes",
            codes
                .iter()
                .map(|(code, n)| format!("{code} ({n})"))
                .collect::<Vec<_>>()
                .join(", "),
        ),
    ];
    if !policies.is_empty() {
        found.push(
            EvidenceRow::count(FAILED_POLICIES, policies.len() as u64).with_items(
                policies
                    .iter()
                    .map(|(name, n)| format!("{name}: {n}"))
                    .collect(),
            ),
        );
    }
    if !requirements.is_empty() {
        found.push(EvidenceRow::new(
            "authentication requirement",
            requirements.into_iter().collect::<Vec<_>>().join(", "),
        ));
    }
    let subject = match users.as_slice() {
        [(user, _)] => Some((*user).to_string()),
        _ => Some(format!("{} users", users.len())),
    };
    vec![Finding {
        id: what.id,
        severity: what.severity,
        summary: (what.summary)(users.len(), sign_ins),
        evidence: found,
        remediation: what.remediation.iter().map(|s| s.to_string()).collect(),
        subject,
    }]
}
