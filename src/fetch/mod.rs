//! Fetching the tenant's evidence live (Microsoft Graph, the Jamf Pro API)
//! into the export formats `--tenant` reads, so that a fetched analysis and
//! an offline one are the same code from the files on: one HTTP client
//! ([`http`]), Graph's token and pages ([`graph`]), and what a fetch asks
//! for and wrote down (`fetch.json`).

pub(crate) mod graph;
pub(crate) mod http;

use crate::util::guid::Guid;
use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use graph::{Collected, Graph, Secret};
use http::{Client, Endpoint, Limits};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What can be fetched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum FetchKind {
    /// Entra sign-ins (`auditLogs/signIns`).
    Signins,
    /// Conditional Access policies.
    Policies,
    /// Entra device objects.
    Devices,
    /// Intune managed devices.
    ManagedDevices,
}

impl FetchKind {
    /// Every kind Graph serves.
    pub(crate) const GRAPH: [FetchKind; 4] = [
        FetchKind::Signins,
        FetchKind::Policies,
        FetchKind::Devices,
        FetchKind::ManagedDevices,
    ];

    /// The stem of its files.
    fn stem(self) -> &'static str {
        match self {
            FetchKind::Signins => "signins",
            FetchKind::Policies => "policies",
            FetchKind::Devices => "devices",
            FetchKind::ManagedDevices => "managed-devices",
        }
    }
}

/// Where Graph is and who signs in to it (the secret apart).
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
}

/// What a fetch asks for.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct FetchPlan {
    /// The folder written.
    pub(crate) out: PathBuf,
    /// The kinds fetched.
    pub(crate) what: Vec<FetchKind>,
    /// Sign-ins since this time.
    pub(crate) since: DateTime<FixedOffset>,
    /// Sign-ins of these users only (none: everyone's).
    pub(crate) users: Vec<String>,
    /// Devices of these device IDs only (none: every device).
    pub(crate) device_ids: Vec<Guid>,
    /// Records of each kind at most.
    pub(crate) max_records: Option<u64>,
    /// Graph.
    pub(crate) graph: GraphTarget,
}

/// What one kind gave.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct KindFetched {
    /// The kind.
    pub(crate) kind: FetchKind,
    /// Pages read.
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

/// The Graph path (and query) of `kind` under `plan`'s filters.
pub(crate) fn graph_path(kind: FetchKind, plan: &FetchPlan) -> String {
    let quoted = |value: &str| format!("'{}'", value.replace('\'', "''"));
    let any_of = |field: &str, values: Vec<String>| {
        let terms: Vec<String> = values
            .iter()
            .map(|v| format!("{field} eq {}", quoted(v)))
            .collect();
        match terms.len() {
            0 => None,
            1 => terms.into_iter().next(),
            _ => Some(format!("({})", terms.join(" or "))),
        }
    };
    let ids: Vec<String> = plan.device_ids.iter().map(Guid::to_string).collect();
    let (path, filters, select): (&str, Vec<Option<String>>, &str) = match kind {
        FetchKind::Signins => (
            "/v1.0/auditLogs/signIns",
            vec![
                Some(format!(
                    "createdDateTime ge {}",
                    plan.since
                        .with_timezone(&Utc)
                        .to_rfc3339_opts(SecondsFormat::Secs, true)
                )),
                any_of("userPrincipalName", plan.users.clone()),
            ],
            "",
        ),
        FetchKind::Policies => ("/v1.0/identity/conditionalAccess/policies", Vec::new(), ""),
        FetchKind::Devices => (
            "/v1.0/devices",
            vec![any_of("deviceId", ids)],
            "id,deviceId,displayName,accountEnabled,isCompliant,isManaged,trustType,operatingSystem,operatingSystemVersion,approximateLastSignInDateTime,registrationDateTime,mdmAppId",
        ),
        FetchKind::ManagedDevices => (
            "/v1.0/deviceManagement/managedDevices",
            vec![any_of("azureADDeviceId", ids)],
            "id,deviceName,azureADDeviceId,serialNumber,complianceState,managementAgent,lastSyncDateTime,userPrincipalName,operatingSystem",
        ),
    };
    let mut query: Vec<String> = Vec::new();
    if kind == FetchKind::Signins {
        query.push("$top=1000".to_string());
    }
    let filter: Vec<String> = filters.into_iter().flatten().collect();
    if !filter.is_empty() {
        query.push(format!(
            "$filter={}",
            utf8_percent_encode(&filter.join(" and "), NON_ALPHANUMERIC)
        ));
    }
    if !select.is_empty() {
        query.push(format!(
            "$select={}",
            utf8_percent_encode(select, NON_ALPHANUMERIC)
        ));
    }
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// Fetches `plan` with the app's `secret` into `plan.out` (created private
/// when missing) and writes `fetch.json` there. A kind that fails is
/// recorded with why; the others are still fetched.
pub(crate) fn fetch(
    plan: FetchPlan,
    secret: Secret,
    limits: Limits,
) -> Result<FetchRecord, String> {
    crate::util::files::private_dir(&plan.out).map_err(|e| format!("--out {e:#}"))?;
    let fetched_at = Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true);
    let client = Client::new(limits);
    let graph = Graph::new(
        &client,
        Endpoint::parse(&plan.graph.login).map_err(|e| format!("--login-url {e}"))?,
        Endpoint::parse(&plan.graph.graph).map_err(|e| format!("--graph-url {e}"))?,
        &plan.graph.tenant_id,
        &plan.graph.client_id,
        secret,
    );
    let mut kinds = Vec::new();
    for kind in &plan.what {
        let result = graph.collect(
            &graph_path(*kind, &plan),
            &plan.out,
            kind.stem(),
            plan.max_records,
        );
        let (collected, error) = match result {
            Ok(collected) => (collected, None),
            Err(error) => (Collected::default(), Some(error)),
        };
        kinds.push(KindFetched {
            kind: *kind,
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
        });
    }
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

/// Writes `fetch.json` into `folder`, replacing an earlier one atomically.
fn write_record(folder: &Path, record: &FetchRecord) -> Result<(), String> {
    let text = serde_json::to_string_pretty(record).map_err(|e| e.to_string())?;
    let temporary = folder.join(".fetch.json.new");
    let _ = std::fs::remove_file(&temporary);
    let mut file = crate::util::files::private_file(&temporary).map_err(|e| format!("{e:#}"))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .and_then(|()| std::fs::rename(&temporary, folder.join("fetch.json")))
        .map_err(|e| format!("{}: {e}", folder.join("fetch.json").display()))
}

#[cfg(test)]
pub(crate) mod testing {
    //! A loopback server for the fetchers' tests.

    use super::http::Endpoint;
    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

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
