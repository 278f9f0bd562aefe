//! `device-registration-blocked`: the Jamf device-compliance registration was
//! refused for a device condition (530003, 50097, 50129, 53000, 53001…): the
//! registration needs a token before the Mac can be compliant.

use super::{PerUser, per_user};
use crate::entra::signins::outcome::{AppRole, Outcome};
use crate::evidence::signins::SignInEvidence;
use crate::findings::{Finding, FindingId, Severity};
use crate::util::text::count;

/// What the finding says.
const WHAT: PerUser = PerUser {
    id: FindingId::DeviceRegistrationBlocked,
    severity: Severity::Critical,
    role: Some(AppRole::DeviceCompliance),
    outcomes: &[Outcome::DeviceNotRegistered, Outcome::DeviceNotCompliant],
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
};

/// Raises `device-registration-blocked` (critical) when any user shows it.
pub(crate) fn detect(evidence: &SignInEvidence) -> Vec<Finding> {
    per_user(evidence, &WHAT)
}
