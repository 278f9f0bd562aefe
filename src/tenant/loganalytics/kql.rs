//! The KQL ca-doctor asks a Log Analytics workspace (or Microsoft Sentinel)
//! for sign-ins: the union of `SigninLogs` and
//! `AADNonInteractiveUserSignInLogs` (whose `DeviceDetail`, `Status`,
//! `ConditionalAccessPolicies` and `LocationDetails` are strings, parsed
//! here), filtered in Kusto by time, user, device and app, and projected to
//! the columns the sign-in reader reads; for the fleet, summarised in Kusto
//! so that rows grow with devices and outcomes, not with sign-ins. Values
//! only ever enter a query as escaped string literals; IDs are GUIDs.

use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};

/// The two sign-in tables, interactive first.
pub(crate) const TABLES: [&str; 2] = ["SigninLogs", "AADNonInteractiveUserSignInLogs"];

/// The columns that are `dynamic` in `SigninLogs` and `string` in the
/// non-interactive table: parsed there so that both read alike.
const STRING_IN_NON_INTERACTIVE: [&str; 4] = [
    "DeviceDetail",
    "Status",
    "ConditionalAccessPolicies",
    "LocationDetails",
];

/// The columns the sign-in reader reads (both tables have them).
const PROJECTED: [&str; 15] = [
    "TimeGenerated",
    "UserPrincipalName",
    "UserDisplayName",
    "AppId",
    "AppDisplayName",
    "ResourceDisplayName",
    "CorrelationId",
    "ResultType",
    "ResultDescription",
    "Status",
    "AuthenticationRequirement",
    "AuthenticationProtocol",
    "DeviceDetail",
    "ConditionalAccessStatus",
    "ConditionalAccessPolicies",
];

/// The time span asked about: `(start, end]`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Span {
    /// Exclusive start.
    pub(crate) start: DateTime<FixedOffset>,
    /// Inclusive end.
    pub(crate) end: DateTime<FixedOffset>,
}

/// Which sign-ins to read: any of the users or devices (none: all), of
/// any of the apps (none: all), in the span.
#[derive(Clone, Debug)]
pub(crate) struct SignInQuestion {
    /// The span.
    pub(crate) span: Span,
    /// User principal names.
    pub(crate) users: Vec<String>,
    /// Entra device IDs.
    pub(crate) device_ids: Vec<Guid>,
    /// App IDs.
    pub(crate) app_ids: Vec<Guid>,
}

/// A KQL string literal of `text`: double-quoted, with backslashes,
/// quotes and control characters escaped, so that no value can end the
/// literal or the query.
pub(crate) fn string_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A KQL `datetime(…)` of `time`, in UTC.
fn datetime_literal(time: DateTime<FixedOffset>) -> String {
    format!(
        "datetime({})",
        time.with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Secs, true)
    )
}

/// `(a, b, …)` of string literals.
fn literal_list<T: ToString>(values: &[T]) -> String {
    let literals: Vec<String> = values
        .iter()
        .map(|v| string_literal(&v.to_string()))
        .collect();
    format!("({})", literals.join(", "))
}

/// The union of both tables over `span`, the non-interactive table's
/// string columns parsed.
fn union(span: Span) -> String {
    let parsed: Vec<String> = STRING_IN_NON_INTERACTIVE
        .iter()
        .map(|column| format!("{column} = todynamic({column})"))
        .collect();
    format!(
        "let start = {};\nlet end = {};\nunion\n    ({} | where TimeGenerated > start and TimeGenerated <= end),\n    ({} | where TimeGenerated > start and TimeGenerated <= end\n        | extend {})\n",
        datetime_literal(span.start),
        datetime_literal(span.end),
        TABLES[0],
        TABLES[1],
        parsed.join(", ")
    )
}

/// The query of `question`: its sign-ins, oldest first, with the columns
/// the sign-in reader reads.
pub(crate) fn sign_ins(question: &SignInQuestion) -> String {
    let mut query = union(question.span);
    let mut who = Vec::new();
    if !question.users.is_empty() {
        who.push(format!(
            "UserPrincipalName in~ {}",
            literal_list(&question.users)
        ));
    }
    if !question.device_ids.is_empty() {
        who.push(format!(
            "tostring(DeviceDetail.deviceId) in~ {}",
            literal_list(&question.device_ids)
        ));
    }
    if !who.is_empty() {
        query.push_str(&format!("| where {}\n", who.join(" or ")));
    }
    if !question.app_ids.is_empty() {
        query.push_str(&format!(
            "| where AppId in~ {}\n",
            literal_list(&question.app_ids)
        ));
    }
    query.push_str(&format!("| project {}\n", PROJECTED.join(", ")));
    query.push_str("| order by TimeGenerated asc");
    query
}

/// The fleet's question: the Macs' sign-ins over `span` summarised in
/// Kusto by device, app and result (one row each), with the users, the
/// count and the last time.
pub(crate) fn fleet_summary(span: Span) -> String {
    let mut query = union(span);
    query.push_str(
        "| extend DeviceId = tostring(DeviceDetail.deviceId), OperatingSystem = tostring(DeviceDetail.operatingSystem)\n",
    );
    query.push_str("| where OperatingSystem startswith \"Mac\"\n");
    query.push_str(
        "| summarize SignIns = count(), Users = dcount(UserPrincipalName), LastSignIn = max(TimeGenerated), DeviceName = take_any(tostring(DeviceDetail.displayName)) by DeviceId, AppId, ResultType\n",
    );
    query.push_str("| order by DeviceId asc, AppId asc, ResultType asc");
    query
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span {
            start: DateTime::parse_from_rfc3339("2026-11-13T12:00:00-05:00").unwrap(),
            end: DateTime::parse_from_rfc3339("2026-11-20T12:00:00-05:00").unwrap(),
        }
    }

    #[test]
    fn literals_cannot_end_the_string_or_the_query() {
        assert_eq!(string_literal("jane@contoso.com"), "\"jane@contoso.com\"");
        assert_eq!(
            string_literal("o\"brien\\x\n| take 1"),
            "\"o\\\"brien\\\\x\\n| take 1\""
        );
        assert_eq!(string_literal("a\u{7}b"), "\"a\\u0007b\"");
        // The injected text stays inside one literal: its only unescaped
        // quotes are the two around it.
        let literal = string_literal("x\" or 1==1 //");
        let unescaped = literal
            .char_indices()
            .filter(|(i, c)| *c == '"' && (*i == 0 || &literal[i - 1..*i] != "\\"))
            .count();
        assert_eq!(unescaped, 2, "{literal}");
    }

    #[test]
    fn a_question_of_users_devices_and_apps() {
        let question = SignInQuestion {
            span: span(),
            users: vec!["jane@contoso.com".into(), "o'brien@contoso.com".into()],
            device_ids: vec![Guid::parse("7C1E9A40-2D3B-4E5F-8A6B-7C8D9E0F1A2B").unwrap()],
            app_ids: vec![],
        };
        let query = sign_ins(&question);
        assert!(query.starts_with("let start = datetime(2026-11-13T17:00:00Z);\nlet end = datetime(2026-11-20T17:00:00Z);\nunion\n"), "{query}");
        assert!(query.contains(
            "| extend DeviceDetail = todynamic(DeviceDetail), Status = todynamic(Status)"
        ));
        assert!(query.contains(
            "| where UserPrincipalName in~ (\"jane@contoso.com\", \"o'brien@contoso.com\") or tostring(DeviceDetail.deviceId) in~ (\"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b\")"
        ), "{query}");
        assert!(!query.contains("AppId in~"));
        assert!(query.ends_with("| order by TimeGenerated asc"));
    }

    #[test]
    fn the_fleet_is_summarised_in_kusto() {
        let query = fleet_summary(span());
        assert!(query.contains("| summarize SignIns = count()"), "{query}");
        assert!(query.contains("by DeviceId, AppId, ResultType"), "{query}");
    }
}
