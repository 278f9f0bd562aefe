//! The values of ca-doctor's extension attribute as Jamf Pro stores them
//! (`healthy`, `at-risk: id, id`, `unknown: reason`, `not installed`...),
//! read back into a status and its finding IDs; anything else is another
//! attribute's value, or a damaged one.

use serde::Serialize;

/// A Mac's extension-attribute status, as the fleet counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FleetStatus {
    /// Deactivated.
    Deactivated,
    /// Entra ID blocks the device.
    NotCompliant,
    /// Never registered.
    NotRegistered,
    /// At risk.
    AtRisk,
    /// ca-doctor could not tell.
    Unknown,
    /// The package is not on the Mac.
    NotInstalled,
    /// The attribute has no value: it did not run at the last inventory.
    NoValue,
    /// A value ca-doctor never writes.
    Unrecognised,
    /// Healthy.
    Healthy,
}

impl FleetStatus {
    /// Every status, the most urgent first.
    pub(crate) const ALL: [FleetStatus; 9] = [
        FleetStatus::Deactivated,
        FleetStatus::NotCompliant,
        FleetStatus::NotRegistered,
        FleetStatus::AtRisk,
        FleetStatus::Unknown,
        FleetStatus::NotInstalled,
        FleetStatus::NoValue,
        FleetStatus::Unrecognised,
        FleetStatus::Healthy,
    ];

    /// As written in reports.
    pub(crate) fn token(self) -> &'static str {
        match self {
            FleetStatus::Deactivated => "deactivated",
            FleetStatus::NotCompliant => "not-compliant",
            FleetStatus::NotRegistered => "not-registered",
            FleetStatus::AtRisk => "at-risk",
            FleetStatus::Unknown => "unknown",
            FleetStatus::NotInstalled => "not-installed",
            FleetStatus::NoValue => "no-value",
            FleetStatus::Unrecognised => "unrecognised",
            FleetStatus::Healthy => "healthy",
        }
    }

    /// The status named `token`.
    pub(crate) fn from_token(token: &str) -> Option<FleetStatus> {
        FleetStatus::ALL.into_iter().find(|s| s.token() == token)
    }

    /// Whether the Mac needs someone's attention.
    pub(crate) fn needs_attention(self) -> bool {
        !matches!(self, FleetStatus::Healthy)
    }
}

/// One value read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct EaValue {
    /// The status.
    pub(crate) status: FleetStatus,
    /// The finding IDs, primary cause first.
    pub(crate) causes: Vec<Box<str>>,
    /// Why `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<Box<str>>,
}

impl EaValue {
    /// A value without causes.
    pub(crate) fn plain(status: FleetStatus) -> EaValue {
        EaValue {
            status,
            causes: Vec::new(),
            reason: None,
        }
    }

    /// The value `text` (an attribute's value, `<result>` tags tolerated);
    /// `None` when ca-doctor never writes it.
    pub(crate) fn parse(text: &str) -> Option<EaValue> {
        let text = text.trim();
        let text = text
            .strip_prefix("<result>")
            .and_then(|t| t.strip_suffix("</result>"))
            .unwrap_or(text)
            .trim();
        if text.is_empty() {
            return Some(EaValue::plain(FleetStatus::NoValue));
        }
        // Most attributes' values start otherwise: told apart at once.
        if !text.starts_with(['h', 'a', 'd', 'n', 'u']) {
            return None;
        }
        if text == "not installed" {
            return Some(EaValue::plain(FleetStatus::NotInstalled));
        }
        let (head, rest) = match text.split_once(':') {
            Some((head, rest)) => (head.trim(), Some(rest.trim())),
            None => (text, None),
        };
        let with_causes = |status| {
            let causes: Vec<Box<str>> = rest
                .unwrap_or_default()
                .split(',')
                .map(str::trim)
                .filter(|id| !id.is_empty())
                .map(Box::from)
                .collect();
            causes
                .iter()
                .all(|id| is_finding_id(id))
                .then_some(EaValue {
                    status,
                    causes,
                    reason: None,
                })
        };
        match (head, rest) {
            ("healthy", None) => Some(EaValue::plain(FleetStatus::Healthy)),
            ("not-registered", None) => Some(EaValue::plain(FleetStatus::NotRegistered)),
            ("at-risk", _) => with_causes(FleetStatus::AtRisk),
            ("not-compliant", _) => with_causes(FleetStatus::NotCompliant),
            ("deactivated", _) => with_causes(FleetStatus::Deactivated),
            ("unknown", reason) => Some(EaValue {
                status: FleetStatus::Unknown,
                causes: Vec::new(),
                reason: reason.filter(|r| !r.is_empty()).map(Box::from),
            }),
            _ => None,
        }
    }

    /// The primary cause, when there is one.
    pub(crate) fn primary_cause(&self) -> Option<&str> {
        self.causes.first().map(|c| &**c)
    }
}

/// Whether `id` looks like a finding ID: lower-case words joined by `-`.
fn is_finding_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_the_ea_writes_and_others_not() {
        let at_risk = EaValue::parse("at-risk: appsso-not-appsso-url, silent-auth-failed").unwrap();
        assert_eq!(at_risk.status, FleetStatus::AtRisk);
        assert_eq!(at_risk.primary_cause(), Some("appsso-not-appsso-url"));
        assert_eq!(at_risk.causes.len(), 2);
        assert_eq!(EaValue::parse("deactivated").unwrap().causes.len(), 0);
        assert_eq!(
            EaValue::parse("<result>healthy</result>").unwrap().status,
            FleetStatus::Healthy
        );
        let unknown = EaValue::parse("unknown: timed out after 6 s").unwrap();
        assert_eq!(
            (unknown.status, unknown.reason.as_deref()),
            (FleetStatus::Unknown, Some("timed out after 6 s"))
        );
        assert_eq!(
            EaValue::parse("not installed").unwrap().status,
            FleetStatus::NotInstalled
        );
        assert_eq!(EaValue::parse("  ").unwrap().status, FleetStatus::NoValue);
        assert_eq!(
            EaValue::parse("not-compliant: device-not-compliant")
                .unwrap()
                .status,
            FleetStatus::NotCompliant
        );
        for other in [
            "Normal",
            "2026-11-19 10:00:00",
            "healthy: yes",
            "at-risk: Some Text",
            "Enabled",
            "15.1",
        ] {
            assert_eq!(EaValue::parse(other), None, "{other}");
        }
        for status in FleetStatus::ALL {
            assert_eq!(FleetStatus::from_token(status.token()), Some(status));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]

        /// Any text is read without a panic, and what is read is written
        /// back the way the EA writes it.
        #[test]
        fn any_value_is_read_or_refused(text in "\\PC{0,80}") {
            if let Some(read) = EaValue::parse(&text)
                && !read.causes.is_empty()
            {
                let written = format!("{}: {}", read.status.token(), read.causes.join(", "));
                proptest::prop_assert_eq!(EaValue::parse(&written), Some(read));
            }
        }

        /// Every value the EA writes is read back as written.
        #[test]
        fn every_written_value_reads_back(
            status in proptest::sample::select(vec!["at-risk", "deactivated", "not-compliant"]),
            causes in proptest::collection::vec("[a-z][a-z0-9-]{0,30}", 0..5),
        ) {
            let written = if causes.is_empty() { status.to_string() } else { format!("{status}: {}", causes.join(", ")) };
            let read = EaValue::parse(&written).expect("a value the EA writes");
            proptest::prop_assert_eq!(read.status.token(), status);
            let read_causes: Vec<&str> = read.causes.iter().map(|c| &**c).collect();
            proptest::prop_assert_eq!(read_causes, causes.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}
