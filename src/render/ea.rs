//! Jamf Pro extension-attribute output: exactly one `<result>…</result>`
//! whose first token is the status, so Smart Groups can match on it.

use crate::util::time::format_local;
use crate::verdict::{Status, Verdict};
use chrono::FixedOffset;

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
}
