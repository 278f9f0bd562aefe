//! ca-doctor's extension attribute, its grammar in one place: the values
//! written from a verdict (`healthy`, `at-risk: id, id`, `unknown: reason`,
//! the last success as a Jamf Pro date), each in one `<result>` so Smart
//! Groups can match on the first token, and the same values as Jamf Pro
//! stores them read back by the fleet view into a status and its finding
//! IDs; anything else is another attribute's value, or a damaged one.

use crate::util::time::format_local;
use crate::verdict::{Status, Verdict};
use chrono::FixedOffset;
use serde::{Serialize, Serializer};

/// A Mac's status as its attribute tells it: a verdict's status, or what
/// only an attribute can say (not installed, no value, not ca-doctor's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum AttributeStatus {
    /// The status ca-doctor wrote.
    Mac(Status),
    /// The package is not on the Mac.
    NotInstalled,
    /// The attribute has no value: it did not run at the last inventory.
    NoValue,
    /// A value ca-doctor never writes.
    Unrecognised,
}

impl AttributeStatus {
    /// Every status, the most urgent first (the fleet's order).
    pub(crate) const ALL: [AttributeStatus; 9] = [
        AttributeStatus::Mac(Status::Deactivated),
        AttributeStatus::Mac(Status::NotCompliant),
        AttributeStatus::Mac(Status::NotRegistered),
        AttributeStatus::Mac(Status::AtRisk),
        AttributeStatus::Mac(Status::Unknown),
        AttributeStatus::NotInstalled,
        AttributeStatus::NoValue,
        AttributeStatus::Unrecognised,
        AttributeStatus::Mac(Status::Healthy),
    ];

    /// As written in reports: the verdict's token, or the attribute's own.
    pub(crate) fn token(self) -> &'static str {
        match self {
            AttributeStatus::Mac(status) => status.token(),
            AttributeStatus::NotInstalled => "not-installed",
            AttributeStatus::NoValue => "no-value",
            AttributeStatus::Unrecognised => "unrecognised",
        }
    }

    /// The status named `token`.
    pub(crate) fn from_token(token: &str) -> Option<AttributeStatus> {
        AttributeStatus::ALL
            .into_iter()
            .find(|s| s.token() == token)
    }

    /// Its place in [`AttributeStatus::ALL`]: 0 the most urgent.
    pub(crate) fn urgency(self) -> usize {
        AttributeStatus::ALL
            .iter()
            .position(|s| *s == self)
            .unwrap_or(AttributeStatus::ALL.len())
    }

    /// Whether the Mac needs someone's attention.
    pub(crate) fn needs_attention(self) -> bool {
        self != AttributeStatus::Mac(Status::Healthy)
    }
}

impl Ord for AttributeStatus {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.urgency().cmp(&other.urgency())
    }
}

impl PartialOrd for AttributeStatus {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for AttributeStatus {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.token())
    }
}

/// Wraps a value in the EA result tags, keeping it on one line and free of
/// anything that would end the tag early.
pub(crate) fn result(value: &str) -> String {
    let clean: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('<', "(")
        .replace('>', ")");
    format!("<result>{}</result>", clean.trim())
}

/// The status value: `healthy`, or `at-risk: id, id`, `deactivated: id`...
pub(crate) fn status_value(verdict: &Verdict) -> String {
    let ids = verdict.problem_ids();
    if verdict.status == Status::Unknown {
        return unknown_value(
            verdict
                .unknown_reason
                .as_deref()
                .unwrap_or("nothing usable could be read"),
        );
    }
    if ids.is_empty() || verdict.status == Status::Healthy {
        verdict.status.token().to_string()
    } else {
        let ids: Vec<&str> = ids.iter().map(|id| id.as_str()).collect();
        format!("{}: {}", verdict.status.token(), ids.join(", "))
    }
}

/// The `unknown: reason` value for a failure.
pub(crate) fn unknown_value(reason: &str) -> String {
    format!("unknown: {}", reason.lines().next().unwrap_or("").trim())
}

/// The last-success value in the Jamf Pro Date format `YYYY-MM-DD hh:mm:ss`
/// (in `offset`), or empty when there is none.
pub(crate) fn last_success_value(verdict: &Verdict, offset: FixedOffset) -> String {
    verdict
        .facts
        .last_success
        .map(|t| format_local(t, offset))
        .unwrap_or_default()
}

/// One value read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct EaValue {
    /// The status.
    pub(crate) status: AttributeStatus,
    /// The finding IDs, primary cause first.
    pub(crate) causes: Vec<Box<str>>,
    /// Why `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<Box<str>>,
}

impl EaValue {
    /// A value without causes.
    pub(crate) fn plain(status: AttributeStatus) -> EaValue {
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
            return Some(EaValue::plain(AttributeStatus::NoValue));
        }
        // Most attributes' values start otherwise: told apart at once.
        if !text.starts_with(['h', 'a', 'd', 'n', 'u']) {
            return None;
        }
        if text == "not installed" {
            return Some(EaValue::plain(AttributeStatus::NotInstalled));
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
            ("healthy", None) => Some(EaValue::plain(AttributeStatus::Mac(Status::Healthy))),
            ("not-registered", None) => {
                Some(EaValue::plain(AttributeStatus::Mac(Status::NotRegistered)))
            }
            ("at-risk", _) => with_causes(AttributeStatus::Mac(Status::AtRisk)),
            ("not-compliant", _) => with_causes(AttributeStatus::Mac(Status::NotCompliant)),
            ("deactivated", _) => with_causes(AttributeStatus::Mac(Status::Deactivated)),
            ("unknown", reason) => Some(EaValue {
                status: AttributeStatus::Mac(Status::Unknown),
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
    fn result_is_one_safe_line() {
        assert_eq!(result("healthy"), "<result>healthy</result>");
        assert_eq!(
            result("unknown: a\nb <x>"),
            "<result>unknown: a b (x)</result>"
        );
        assert_eq!(unknown_value("first\nsecond"), "unknown: first");
    }

    #[test]
    fn every_value_the_ea_writes_and_others_not() {
        let at_risk = EaValue::parse("at-risk: appsso-not-appsso-url, silent-auth-failed").unwrap();
        assert_eq!(at_risk.status, AttributeStatus::Mac(Status::AtRisk));
        assert_eq!(at_risk.primary_cause(), Some("appsso-not-appsso-url"));
        assert_eq!(at_risk.causes.len(), 2);
        assert_eq!(EaValue::parse("deactivated").unwrap().causes.len(), 0);
        assert_eq!(
            EaValue::parse("<result>healthy</result>").unwrap().status,
            AttributeStatus::Mac(Status::Healthy)
        );
        let unknown = EaValue::parse("unknown: timed out after 6 s").unwrap();
        assert_eq!(
            (unknown.status, unknown.reason.as_deref()),
            (
                AttributeStatus::Mac(Status::Unknown),
                Some("timed out after 6 s")
            )
        );
        assert_eq!(
            EaValue::parse("not installed").unwrap().status,
            AttributeStatus::NotInstalled
        );
        assert_eq!(
            EaValue::parse("  ").unwrap().status,
            AttributeStatus::NoValue
        );
        assert_eq!(
            EaValue::parse("not-compliant: device-not-compliant")
                .unwrap()
                .status,
            AttributeStatus::Mac(Status::NotCompliant)
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
        for status in AttributeStatus::ALL {
            assert_eq!(AttributeStatus::from_token(status.token()), Some(status));
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
