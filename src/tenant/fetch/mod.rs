//! Fetching the tenant's evidence live (Microsoft Graph, the Jamf Pro API)
//! into the export formats `--tenant` reads, so that a fetched analysis and
//! an offline one are the same code from the files on: one HTTP client
//! ([`http`]), Graph's token and pages ([`graph`]), and what a fetch asks
//! for and wrote down (`fetch.json`).

pub(crate) mod assertion;
pub(crate) mod graph;
pub(crate) mod http;
pub(crate) mod jamf;
pub(crate) mod live;
pub(crate) mod progress;

use super::entra::devices::read_devices;
use super::entra::managed_devices::read_managed_devices;
use super::kind::{GraphSource, Selector, TenantKind};
use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use graph::{Collected, Credential, Graph, Secret};
use http::{Client, Endpoint, Limits};
use jamf::{ComputerFilter, JamfApi};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use progress::Progress;
use serde::Serialize;
use std::path::{Path, PathBuf};

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

/// Which records to ask for: the devices and users concerned (all empty:
/// every record).
#[derive(Clone, Debug, Default, Serialize)]
pub(crate) struct Selectors {
    /// Sign-ins of these users; Jamf computers assigned to them.
    pub(crate) users: Vec<String>,
    /// Devices of these Entra device IDs.
    pub(crate) device_ids: Vec<Guid>,
    /// Devices of these names.
    pub(crate) names: Vec<String>,
    /// Macs of these serial numbers.
    pub(crate) serials: Vec<String>,
    /// Sign-ins into these apps (Jamf Connect's).
    pub(crate) app_ids: Vec<String>,
}

impl Selectors {
    /// The values asked for by `selector`.
    pub(crate) fn values(&self, selector: Selector) -> Vec<String> {
        match selector {
            Selector::User => self.users.clone(),
            Selector::DeviceId => self.device_ids.iter().map(Guid::to_string).collect(),
            Selector::Name => self.names.clone(),
            Selector::Serial => self.serials.clone(),
            Selector::App => self.app_ids.clone(),
        }
    }
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
    /// The records asked for.
    pub(crate) selectors: Selectors,
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
    fn of(kind: TenantKind, filter: Option<String>, result: anyhow::Result<Collected>) -> Self {
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
}

/// Graph's filter of `kind` under `selectors` (and `since` for time-bound
/// kinds), as the kind table says: groups joined by `and`, each group's
/// terms by `or`.
fn graph_filter(
    source: &GraphSource,
    selectors: &Selectors,
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
                    .values(*selector)
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

/// Fetches `plan` with `credentials` into `plan.out` (created private when
/// missing) and writes `fetch.json` there: Graph's kinds first, then Jamf
/// Pro's inventory (asked for the names and serial numbers Graph's records
/// revealed too) and its computers' compliance. A kind that fails is
/// recorded with why; the others are still fetched.
pub(crate) fn fetch(
    mut plan: FetchPlan,
    credentials: &Credentials,
    limits: Limits,
    progress: &Progress,
) -> anyhow::Result<FetchRecord> {
    crate::util::files::private_dir(&plan.out).map_err(|e| anyhow::anyhow!("--out {e:#}"))?;
    let fetched_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let client = Client::new(limits);
    let mut kinds = Vec::new();
    let graph_kinds: Vec<(TenantKind, &GraphSource)> = plan
        .what
        .iter()
        .filter_map(|kind| kind.graph().map(|source| (*kind, source)))
        .collect();
    if let (Some(target), Some(credential), false) =
        (&plan.graph, &credentials.graph, graph_kinds.is_empty())
    {
        let graph = Graph::new(
            &client,
            Endpoint::parse(&target.login).map_err(|e| anyhow::anyhow!("--login-url {e}"))?,
            Endpoint::parse(&target.graph).map_err(|e| anyhow::anyhow!("--graph-url {e}"))?,
            &target.tenant_id,
            &target.client_id,
            credential,
        );
        for (kind, source) in graph_kinds {
            progress.start(kind.name());
            let filter = graph_filter(source, &plan.selectors, plan.since);
            let result = graph.collect(
                &graph_path(source, filter.as_deref()),
                &plan.out,
                kind.name(),
                plan.max_records,
                progress,
            );
            kinds.push(KindFetched::of(kind, filter, result));
        }
    }
    if let (Some(target), Some(secret), true) = (
        plan.jamf.clone(),
        &credentials.jamf,
        plan.what.contains(&TenantKind::JamfInventory),
    ) {
        let base = Endpoint::parse(&target.url).map_err(|e| anyhow::anyhow!("--jamf-url {e}"))?;
        let api = JamfApi::new(&client, base, &target.client_id, secret);
        let filter = jamf_filter(&plan.selectors, &plan.out, &kinds);
        progress.start(TenantKind::JamfInventory.name());
        let rsql = filter.rsql();
        match api.inventory(&filter, &plan.out, plan.max_records, progress) {
            Ok(mut inventory) => {
                let ids = inventory.computer_ids.clone();
                inventory.collected.files.extend(api.place_names(&plan.out));
                kinds.push(KindFetched::of(
                    TenantKind::JamfInventory,
                    rsql,
                    Ok(inventory.collected),
                ));
                progress.start(TenantKind::JamfCompliance.name());
                let result = api.compliance(&ids, &plan.out, progress);
                kinds.push(KindFetched::of(TenantKind::JamfCompliance, None, result));
            }
            Err(error) => kinds.push(KindFetched::of(TenantKind::JamfInventory, rsql, Err(error))),
        }
    }
    progress.finish();
    plan.what = kinds.iter().map(|k| k.kind).collect();
    let record = FetchRecord {
        tool: "ca-doctor",
        tool_version: env!("CARGO_PKG_VERSION"),
        fetched_at,
        plan,
        kinds,
    };
    write_record(&record.plan.out, &record)?;
    Ok(record)
}

/// Which Jamf Pro computers to ask for: those `selectors` name, and the
/// names and serial numbers of the Entra and Intune records fetched into
/// `folder` (read by their readers) for the device IDs asked about (only when device IDs are
/// asked about: a whole tenant's records name no computer in particular).
/// Nothing to ask by (no selector): every computer.
fn jamf_filter(selectors: &Selectors, folder: &Path, fetched: &[KindFetched]) -> ComputerFilter {
    let mut filter = ComputerFilter {
        serials: selectors.serials.clone(),
        names: selectors.names.clone(),
        emails: selectors.users.clone(),
    };
    if selectors.device_ids.is_empty() {
        return filter;
    }
    let add = |into: &mut Vec<String>, value: &str| {
        if !value.is_empty() && !into.iter().any(|v| v == value) {
            into.push(value.to_string());
        }
    };
    for kind in fetched {
        for file in &kind.files {
            let path = folder.join(file);
            match kind.kind {
                TenantKind::Devices => {
                    read_devices(&path, &mut |device| {
                        if selectors.device_ids.contains(&device.device_id) {
                            add(&mut filter.names, &device.display_name);
                        }
                    });
                }
                TenantKind::ManagedDevices => {
                    read_managed_devices(&path, &mut |device| {
                        if device
                            .device_id
                            .is_some_and(|id| selectors.device_ids.contains(&id))
                        {
                            add(&mut filter.serials, &device.serial);
                        }
                    });
                }
                _ => {}
            }
        }
    }
    filter
}

/// Writes `fetch.json` into `folder`, replacing an earlier one atomically.
fn write_record(folder: &Path, record: &FetchRecord) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(record)?;
    let path = folder.join("fetch.json");
    crate::util::files::write_atomically(&path, text.as_bytes())
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jamf_is_asked_for_the_names_of_the_devices_asked_about_only() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(
            folder.path().join("devices-0001.json"),
            r#"{"value":[{"deviceId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","displayName":"Jane's MacBook"},{"deviceId":"0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f","displayName":"Other Mac"}]}"#,
        )
        .unwrap();
        std::fs::write(
            folder.path().join("managed-devices-0001.json"),
            r#"{"value":[{"id":"i1","azureADDeviceId":"7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b","serialNumber":"C02XK1JHJG5H","deviceName":"Jane's MacBook"},{"id":"i2","azureADDeviceId":"0d6f3c2e-5b1a-4c7d-9e8f-1a2b3c4d5e6f","serialNumber":"OTHER","deviceName":"Other Mac"}]}"#,
        )
        .unwrap();
        let page = |kind, name: &str| {
            KindFetched::of(
                kind,
                None,
                Ok(Collected {
                    files: vec![folder.path().join(name)],
                    ..Collected::default()
                }),
            )
        };
        let fetched = [
            page(TenantKind::Devices, "devices-0001.json"),
            page(TenantKind::ManagedDevices, "managed-devices-0001.json"),
        ];
        let mut selectors = Selectors::default();
        let filter = jamf_filter(&selectors, folder.path(), &fetched);
        assert!(
            filter.names.is_empty(),
            "a whole tenant's records: every computer"
        );
        selectors.device_ids = Guid::find_all("7c1e9a40-2d3b-4e5f-8a6b-7c8d9e0f1a2b");
        let filter = jamf_filter(&selectors, folder.path(), &fetched);
        assert_eq!(filter.names, ["Jane's MacBook"]);
        assert_eq!(filter.serials, ["C02XK1JHJG5H"]);
    }
}

#[cfg(test)]
pub(crate) mod testing {
    //! A loopback server for the fetchers' tests.

    use super::http::{Endpoint, Limits};
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    /// Time limits that keep the fetchers' tests short.
    pub(crate) fn limits() -> Limits {
        Limits {
            connect: Duration::from_secs(2),
            response: Duration::from_secs(2),
            overall: Duration::from_secs(20),
            retries: 2,
            max_wait: Duration::from_secs(1),
        }
    }

    /// A loopback server answering each connection with the next of
    /// `answers` (a whole HTTP response, `{base}` in it standing for the
    /// server's URL; or `None`: accept and never answer); records each
    /// request's first line, headers and body.
    pub(crate) fn server(answers: Vec<Option<String>>) -> (Endpoint, Arc<Mutex<Vec<String>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let base = url.clone();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for answer in answers {
                let Ok((mut stream, _)) = listener.accept() else {
                    return;
                };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut head = String::new();
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                        length = v.trim().parse().unwrap_or(0);
                    }
                    head.push_str(&line);
                }
                let mut body = vec![0; length];
                let _ = reader.read_exact(&mut body);
                head.push_str(&String::from_utf8_lossy(&body));
                log.lock().unwrap().push(head);
                match answer {
                    Some(answer) => {
                        let _ = stream.write_all(fill_base(&answer, &base).as_bytes());
                    }
                    None => std::thread::sleep(Duration::from_secs(5)),
                }
            }
        });
        (Endpoint::parse(&url).unwrap(), seen)
    }

    /// `answer` with `{base}` replaced, its Content-Length mended.
    fn fill_base(answer: &str, base: &str) -> String {
        if !answer.contains("{base}") {
            return answer.to_string();
        }
        let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
        let body = body.replace("{base}", base);
        let head: Vec<String> = head
            .split("\r\n")
            .map(
                |line| match line.to_ascii_lowercase().starts_with("content-length:") {
                    true => format!("Content-Length: {}", body.len()),
                    false => line.to_string(),
                },
            )
            .collect();
        format!("{}\r\n\r\n{body}", head.join("\r\n"))
    }

    pub(crate) fn reply(status: &str, headers: &str, body: &str) -> Option<String> {
        Some(format!(
            "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
            body.len()
        ))
    }
}
