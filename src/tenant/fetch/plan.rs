//! What a fetch asks for and wrote down: where Graph and Jamf Pro are, the
//! records selected, the plan, the credentials (never written), what each
//! kind gave, `fetch.json`; and Graph's query of each kind, from the kind
//! table.

use super::graph::{Collected, Credential, Secret};
use crate::tenant::keys::Keys;
use crate::tenant::kind::{GraphSource, TenantKind};
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use std::path::PathBuf;

/// Where Graph is and who signs in to it (the credential apart).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct GraphTarget {
    /// The login host.
    pub(crate) login: String,
    /// The Graph host.
    pub(crate) graph: String,
    /// The tenant.
    pub(crate) tenant_id: String,
    /// The app registration.
    pub(crate) client_id: String,
    /// How the app signs in: `secret`, `certificate` or `device-code`.
    pub(crate) credential: &'static str,
}

/// Which Jamf Pro server, and its API client (the secret apart).
#[derive(Clone, Debug, Serialize)]
pub(crate) struct JamfTarget {
    /// The server.
    pub(crate) url: String,
    /// The API client.
    pub(crate) client_id: String,
}

/// What a fetch asks for.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FetchPlan {
    /// The folder written.
    pub(crate) out: PathBuf,
    /// The kinds fetched, in order.
    pub(crate) what: Vec<TenantKind>,
    /// Sign-ins since this time.
    pub(crate) since: DateTime<FixedOffset>,
    /// The records asked for (all empty: every record).
    pub(crate) selectors: Keys,
    /// Records of each kind at most.
    pub(crate) max_records: Option<u64>,
    /// Graph, when a Graph kind is fetched.
    pub(crate) graph: Option<GraphTarget>,
    /// Jamf Pro, when its inventory is fetched.
    pub(crate) jamf: Option<JamfTarget>,
    /// Whether each computer's compliance record is fetched with the
    /// inventory.
    pub(crate) jamf_compliance: bool,
}

/// The credentials of a fetch: never written, never printed.
#[derive(Debug, Default)]
pub(crate) struct Credentials {
    /// The app's, for Graph.
    pub(crate) graph: Option<Credential>,
    /// The Jamf Pro API client's secret.
    pub(crate) jamf: Option<Secret>,
}

/// What one kind gave.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct KindFetched {
    /// The kind.
    pub(crate) kind: TenantKind,
    /// The filter sent (Graph's `$filter`, Jamf's RSQL); none: everything.
    pub(crate) filter: Option<String>,
    /// Pages (responses) read.
    pub(crate) pages: u32,
    /// Records in them.
    pub(crate) records: u64,
    /// The files written (names in the folder).
    pub(crate) files: Vec<String>,
    /// Requests tried again (throttled, unavailable, a connection lost).
    pub(crate) retries: u32,
    /// Why it stopped short, when it did.
    pub(crate) error: Option<String>,
}

impl KindFetched {
    /// What one kind gave: its pages and records, or why it stopped short.
    pub(crate) fn of(
        kind: TenantKind,
        filter: Option<String>,
        result: anyhow::Result<Collected>,
    ) -> Self {
        let (collected, error) = match result {
            Ok(collected) => (collected, None),
            Err(error) => (Collected::default(), Some(format!("{error:#}"))),
        };
        KindFetched {
            kind,
            filter,
            pages: collected.pages,
            records: collected.records,
            files: collected
                .files
                .iter()
                .filter_map(|f| f.file_name())
                .map(|f| f.to_string_lossy().into_owned())
                .collect(),
            retries: collected.retries,
            error,
        }
    }
}

/// `fetch.json`: when, from where, with which filters, what came of each
/// kind. Never a credential.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FetchRecord {
    /// The tool.
    pub(crate) tool: &'static str,
    /// Its version.
    pub(crate) tool_version: &'static str,
    /// When the fetch began.
    pub(crate) fetched_at: String,
    /// What was asked.
    pub(crate) plan: FetchPlan,
    /// Each kind, in order.
    pub(crate) kinds: Vec<KindFetched>,
}

impl FetchRecord {
    /// Whether every kind was fetched whole.
    pub(crate) fn complete(&self) -> bool {
        self.kinds.iter().all(|k| k.error.is_none())
    }

    /// The kinds that stopped short, grouped by their error (the same
    /// failure of several requests is one line), in the order met.
    pub(crate) fn failures_grouped(&self) -> Vec<(Vec<&'static str>, &str)> {
        let mut groups: Vec<(Vec<&'static str>, &str)> = Vec::new();
        for kind in &self.kinds {
            let Some(error) = kind.error.as_deref() else {
                continue;
            };
            match groups.iter_mut().find(|(_, e)| *e == error) {
                Some((names, _)) => names.push(kind.kind.name()),
                None => groups.push((vec![kind.kind.name()], error)),
            }
        }
        groups
    }

    /// When something was asked and nothing came: every failure, grouped,
    /// in one line.
    pub(crate) fn nothing_fetched(&self) -> Option<String> {
        if self.kinds.is_empty() || self.kinds.iter().any(|k| k.error.is_none()) {
            return None;
        }
        let lines: Vec<String> = self
            .failures_grouped()
            .into_iter()
            .map(|(names, error)| format!("{} ({}): {error}", names.join(", "), names.len()))
            .collect();
        Some(format!("nothing could be fetched: {}", lines.join("; ")))
    }
}

/// The error of a fetch that brought nothing: its own exit code, so that a
/// scheduled run tells it from a report.
#[derive(Debug)]
pub(crate) struct NothingFetched(pub(crate) String);

impl std::fmt::Display for NothingFetched {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NothingFetched {}

/// Graph's filter of `kind` under `selectors` (and `since` for time-bound
/// kinds), as the kind table says: groups joined by `and`, each group's
/// terms by `or`.
pub(crate) fn graph_filter(
    source: &GraphSource,
    selectors: &Keys,
    since: DateTime<FixedOffset>,
) -> Option<String> {
    let quoted = |value: &str| format!("'{}'", value.replace('\'', "''"));
    let mut filters: Vec<String> = Vec::new();
    if let Some(field) = source.since {
        filters.push(format!(
            "{field} ge {}",
            since
                .with_timezone(&Utc)
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
    }
    for group in source.filter {
        let terms: Vec<String> = group
            .iter()
            .flat_map(|(selector, field)| {
                selectors
                    .selected(*selector)
                    .into_iter()
                    .map(move |value| format!("{field} eq {}", quoted(&value)))
            })
            .collect();
        match terms.len() {
            0 => {}
            1 => filters.extend(terms),
            _ => filters.push(format!("({})", terms.join(" or "))),
        }
    }
    (!filters.is_empty()).then(|| filters.join(" and "))
}

/// The Graph path (and query) of `source` with `filter`.
pub(crate) fn graph_path(source: &GraphSource, filter: Option<&str>) -> String {
    let mut query: Vec<String> = Vec::new();
    if let Some(top) = source.top {
        query.push(format!("$top={top}"));
    }
    if let Some(filter) = filter {
        query.push(format!(
            "$filter={}",
            utf8_percent_encode(filter, NON_ALPHANUMERIC)
        ));
    }
    if !source.select.is_empty() {
        query.push(format!(
            "$select={}",
            utf8_percent_encode(source.select, NON_ALPHANUMERIC)
        ));
    }
    if query.is_empty() {
        source.path.to_string()
    } else {
        format!("{}?{}", source.path, query.join("&"))
    }
}
