//! The Jamf Pro API: an API client's token (OAuth client credentials at
//! `/api/oauth/token`, renewed before it expires and once more on a 401),
//! `computers-inventory` pages filtered with RSQL (the newest API version
//! the server has), and the device-compliance record of each computer
//! found, at most five requests at a time (Jamf's advice). Refusals become
//! one line naming the missing privilege or the wrong URL.

use super::graph::{Collected, Secret};
use super::http::{Client, Endpoint};
use super::progress::Progress;
use crate::tenant::kind::TenantKind;
use crate::util::folder::Folder;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Requests Jamf Pro is sent at once, at most.
pub(crate) const MAX_CONNECTIONS: usize = 5;

/// Computers asked for per inventory page.
const PAGE_SIZE: u32 = 500;

/// The inventory's sections ca-doctor reads.
const SECTIONS: [&str; 6] = [
    "GENERAL",
    "HARDWARE",
    "OPERATING_SYSTEM",
    "USER_AND_LOCATION",
    "LOCAL_USER_ACCOUNTS",
    "EXTENSION_ATTRIBUTES",
];

/// API versions of `computers-inventory`, newest first: 11.x servers have
/// v3 and v4, older ones v1.
const INVENTORY_VERSIONS: [&str; 3] = ["v4", "v3", "v1"];

/// The privilege each request needs, for refusals.
const READ_COMPUTERS: &str = "Read Computers";
const READ_COMPLIANCE: &str = "Read Device Compliance Information";

/// The longest a Jamf Pro token is held (its `expires_in` beyond is not
/// believed).
const MAX_TOKEN_LIFE: u64 = 24 * 3600;

/// A token held, and when to renew it.
struct Held {
    token: String,
    renew_at: Instant,
}

/// A Jamf Pro API client signing in to one server.
pub(crate) struct JamfApi<'a> {
    client: &'a Client,
    base: Endpoint,
    client_id: String,
    secret: &'a Secret,
    token: Mutex<Option<Held>>,
}

/// What the inventory gave: its pages and the computers' IDs.
#[derive(Debug, Default)]
pub(crate) struct Inventory {
    /// Pages, records (computers), files, retries.
    pub(crate) collected: Collected,
    /// Jamf's IDs of the computers in it.
    pub(crate) computer_ids: Vec<String>,
    /// The API version that answered.
    pub(crate) version: &'static str,
}

/// Which computers to ask for: any of these (none at all: every computer).
#[derive(Clone, Debug, Default)]
pub(crate) struct ComputerFilter {
    /// Serial numbers.
    pub(crate) serials: Vec<String>,
    /// Computer names.
    pub(crate) names: Vec<String>,
    /// Assigned users' e-mail addresses.
    pub(crate) emails: Vec<String>,
}

impl ComputerFilter {
    /// The RSQL query (`,` is "or"); `None` for every computer.
    pub(crate) fn rsql(&self) -> Option<String> {
        let quoted =
            |value: &str| format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""));
        let terms: Vec<String> = [
            ("hardware.serialNumber", &self.serials),
            ("general.name", &self.names),
            ("userAndLocation.email", &self.emails),
        ]
        .iter()
        .flat_map(|(field, values)| {
            values
                .iter()
                .map(move |v| format!("{field}=={}", quoted(v)))
        })
        .collect();
        (!terms.is_empty()).then(|| terms.join(","))
    }
}

impl<'a> JamfApi<'a> {
    /// The API client `client_id` of the Jamf Pro server at `base`.
    pub(crate) fn new(
        client: &'a Client,
        base: Endpoint,
        client_id: &str,
        secret: &'a Secret,
    ) -> Self {
        JamfApi {
            client,
            base,
            client_id: client_id.to_string(),
            secret,
            token: Mutex::new(None),
        }
    }

    /// A token: the one held while it is fresh, else a new one.
    fn token(&self, renew: bool) -> anyhow::Result<String> {
        let mut held = self
            .token
            .lock()
            .map_err(|_| anyhow::anyhow!("the Jamf Pro token was lost"))?;
        if !renew
            && let Some(current) = held.as_ref()
            && Instant::now() < current.renew_at
        {
            return Ok(current.token.clone());
        }
        let url = self.base.join("/api/oauth/token");
        let response = self.client.post_form(
            &url,
            &[
                ("client_id", self.client_id.as_str()),
                ("client_secret", self.secret.expose()),
                ("grant_type", "client_credentials"),
            ],
        )?;
        let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        let token = body.get("access_token").and_then(Value::as_str);
        let Some(token) = token.filter(|_| response.status == 200) else {
            return Err(token_error(response.status, &body, self.base.as_str()));
        };
        // Renewed a little before it expires: a quarter of its life early,
        // at most a minute.
        // The server's number is bounded: Jamf's tokens last minutes.
        let lifetime = Duration::from_secs(
            body.get("expires_in")
                .and_then(Value::as_u64)
                .unwrap_or(60)
                .min(MAX_TOKEN_LIFE),
        );
        let margin = (lifetime / 4).min(Duration::from_secs(60));
        let now = Instant::now();
        *held = Some(Held {
            token: token.to_string(),
            renew_at: now.checked_add(lifetime - margin).unwrap_or(now),
        });
        Ok(token.to_string())
    }

    /// `GET path`, the token renewed once on a 401.
    fn get(&self, path: &str) -> anyhow::Result<super::http::Response> {
        let url = self.base.join(path);
        let first = self.client.get(&url, Some(&self.token(false)?))?;
        if first.status != 401 {
            return Ok(first);
        }
        let mut again = self.client.get(&url, Some(&self.token(true)?))?;
        again.tries += first.tries;
        Ok(again)
    }

    /// Reads the inventory of the computers `filter` names into `folder`
    /// (`jamf-inventory-NNNN.json`), page after page, to the end or
    /// `max_records`.
    pub(crate) fn inventory(
        &self,
        filter: &ComputerFilter,
        folder: &Folder,
        max_records: Option<u64>,
        progress: &Progress,
    ) -> anyhow::Result<Inventory> {
        let mut inventory = Inventory::default();
        let rsql = filter.rsql();
        let mut versions = INVENTORY_VERSIONS.iter();
        let mut version = versions.next().copied().unwrap_or("v1");
        let mut page = 0u32;
        loop {
            if page >= self.client.limits().max_pages {
                return Err(super::graph::too_many_pages(
                    &format!("/api/{version}/computers-inventory"),
                    self.client.limits().max_pages,
                ));
            }
            let path = inventory_path(version, page, rsql.as_deref());
            let shown = format!("/api/{version}/computers-inventory");
            let response = self.get(&path)?;
            inventory.collected.retries += response.tries - 1;
            if response.status == 404 && page == 0 {
                match versions.next() {
                    Some(older) => {
                        version = older;
                        continue;
                    }
                    None => return Err(api_error(404, &response.body, &shown, READ_COMPUTERS)),
                }
            }
            if response.status != 200 {
                return Err(api_error(
                    response.status,
                    &response.body,
                    &shown,
                    READ_COMPUTERS,
                ));
            }
            let body: Value =
                serde_json::from_slice(&response.body).map_err(|_| not_jamf(&shown))?;
            let Some(results) = body.get("results").and_then(Value::as_array) else {
                return Err(not_jamf(&shown));
            };
            inventory.version = version;
            let ids = results
                .iter()
                .filter_map(|computer| match computer.get("id") {
                    Some(Value::String(id)) => Some(id.clone()),
                    Some(Value::Number(id)) => Some(id.to_string()),
                    _ => None,
                });
            inventory.computer_ids.extend(ids);
            let collected = &mut inventory.collected;
            collected.pages += 1;
            collected.records += results.len() as u64;
            progress.page(results.len() as u64, response.tries - 1);
            let name = format!(
                "{}-{:04}.json",
                TenantKind::JamfInventory.name(),
                collected.pages
            );
            folder.write_new(&name, &response.body)?;
            collected.files.push(folder.join(&name));
            let total = body.get("totalCount").and_then(Value::as_u64);
            let seen = u64::from(page + 1) * u64::from(PAGE_SIZE);
            let capped = max_records.is_some_and(|max| collected.records >= max);
            // The end: an empty page, the total reached, or (no total
            // given) a page shorter than asked for.
            let end = match total {
                Some(total) => results.is_empty() || seen >= total,
                None => results.len() < PAGE_SIZE as usize,
            };
            if end || capped {
                return Ok(inventory);
            }
            page += 1;
        }
    }

    /// Jamf Pro's names of its buildings and departments (the inventory
    /// names them by ID) into `folder` as `jamf-buildings.json` and
    /// `jamf-departments.json`; those the API client may not read are left
    /// out (the IDs stay). The files written.
    pub(crate) fn place_names(&self, folder: &Folder) -> Vec<std::path::PathBuf> {
        let mut files = Vec::new();
        for (what, kind) in [
            ("buildings", TenantKind::JamfBuildings),
            ("departments", TenantKind::JamfDepartments),
        ] {
            let path = format!("/api/v1/{what}?page=0&page-size=2000&sort=id%3Aasc");
            let Ok(response) = self.get(&path) else {
                continue;
            };
            let listed = serde_json::from_slice::<Value>(&response.body)
                .ok()
                .is_some_and(|body| body.get("results").is_some_and(Value::is_array));
            if response.status != 200 || !listed {
                continue;
            }
            let Some(name) = kind.spec().fixed_file else {
                continue;
            };
            if folder.write_new(name, &response.body).is_ok() {
                files.push(folder.join(name));
            }
        }
        files
    }

    /// Reads the compliance record of each of `computer_ids` into `folder`
    /// (`jamf-compliance-<id>.json`; computers without a record are
    /// skipped), [`MAX_CONNECTIONS`] at a time. The first refusal stops it.
    pub(crate) fn compliance(
        &self,
        computer_ids: &[String],
        folder: &Folder,
        progress: &Progress,
    ) -> anyhow::Result<Collected> {
        let next = AtomicUsize::new(0);
        let outcome: Mutex<anyhow::Result<Collected>> = Mutex::new(Ok(Collected::default()));
        let stopped = || outcome.lock().map_or(true, |o| o.is_err());
        std::thread::scope(|scope| {
            for _ in 0..MAX_CONNECTIONS.min(computer_ids.len()) {
                scope.spawn(|| {
                    while !stopped() {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(id) = computer_ids.get(index) else {
                            return;
                        };
                        let result = self.compliance_of(id, folder);
                        let Ok(mut outcome) = outcome.lock() else {
                            return;
                        };
                        match (result, outcome.as_mut()) {
                            (Ok((records, file, retries)), Ok(collected)) => {
                                collected.pages += 1;
                                collected.records += records;
                                collected.retries += retries;
                                collected.files.extend(file);
                                progress.page(records, retries);
                            }
                            (Err(error), Ok(_)) => *outcome = Err(error),
                            (_, Err(_)) => return,
                        }
                    }
                });
            }
        });
        let mut collected = outcome
            .into_inner()
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the compliance fetch stopped")))?;
        collected.files.sort();
        Ok(collected)
    }

    /// One computer's compliance records: how many, the file written (none
    /// when it has none), retries.
    fn compliance_of(
        &self,
        id: &str,
        folder: &Folder,
    ) -> anyhow::Result<(u64, Option<std::path::PathBuf>, u32)> {
        let shown = "/api/v1/conditional-access/device-compliance-information/computer";
        let encoded = utf8_percent_encode(id, NON_ALPHANUMERIC);
        let response = self.get(&format!("{shown}/{encoded}"))?;
        let retries = response.tries - 1;
        if response.status == 404 {
            return Ok((0, None, retries));
        }
        if response.status != 200 {
            return Err(api_error(
                response.status,
                &response.body,
                shown,
                READ_COMPLIANCE,
            ));
        }
        let body: Value = serde_json::from_slice(&response.body).map_err(|_| not_jamf(shown))?;
        let records = match &body {
            Value::Array(records) => records.len() as u64,
            Value::Object(_) => 1,
            _ => return Err(not_jamf(shown)),
        };
        if records == 0 {
            return Ok((0, None, retries));
        }
        // The ID is Jamf's (digits); anything else is not put in a name.
        let safe: String = id.chars().filter(char::is_ascii_alphanumeric).collect();
        let name = format!("{}-{safe}.json", TenantKind::JamfCompliance.name());
        folder.write_new(&name, &response.body)?;
        Ok((records, Some(folder.join(&name)), retries))
    }
}

/// The path (and query) of inventory page `page`.
fn inventory_path(version: &str, page: u32, rsql: Option<&str>) -> String {
    let mut query: Vec<String> = SECTIONS.iter().map(|s| format!("section={s}")).collect();
    query.push(format!("page={page}"));
    query.push(format!("page-size={PAGE_SIZE}"));
    query.push("sort=id%3Aasc".to_string());
    if let Some(rsql) = rsql {
        query.push(format!(
            "filter={}",
            utf8_percent_encode(rsql, NON_ALPHANUMERIC)
        ));
    }
    format!("/api/{version}/computers-inventory?{}", query.join("&"))
}

/// A server that answers, but not as Jamf Pro does.
fn not_jamf(path: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "{path}: the answer is not Jamf Pro's JSON: check --jamf-url (the Jamf Pro server, such as https://yourorg.jamfcloud.com)"
    )
}

/// Jamf Pro's refusal of the API client's sign-in, in one line with the fix.
fn token_error(status: u16, body: &Value, base: &str) -> anyhow::Error {
    let code = body.get("error").and_then(Value::as_str).unwrap_or("");
    match (status, code) {
        (_, "invalid_client") | (401, _) => anyhow::anyhow!(
            "Jamf Pro refused the API client (HTTP {status} {code}): check --jamf-client-id and the client secret, and that the client is enabled (Settings > API Roles and Clients)"
        ),
        _ if body.is_null() => anyhow::anyhow!(
            "{base}/api/oauth/token: not Jamf Pro's token endpoint (HTTP {status}): check --jamf-url; API clients need Jamf Pro 10.49 or later"
        ),
        _ => {
            let description = body
                .get("error_description")
                .and_then(Value::as_str)
                .unwrap_or("no description");
            anyhow::anyhow!(
                "Jamf Pro refused the API client's sign-in (HTTP {status} {code}): {description}"
            )
        }
    }
}

/// Jamf Pro's refusal of a request needing `privilege`, in one line.
fn api_error(status: u16, body: &[u8], path: &str, privilege: &str) -> anyhow::Error {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let cause = body
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|errors| errors.first())
        .map(|e| {
            let code = e.get("code").and_then(Value::as_str).unwrap_or("");
            let description = e.get("description").and_then(Value::as_str).unwrap_or("");
            format!("{code} {description}").trim().to_string()
        })
        .unwrap_or_default();
    let fix = match status {
        403 => format!(
            "the API client's role lacks the privilege \"{privilege}\": add it to the role (Settings > API Roles and Clients)"
        ),
        404 => "not found: check --jamf-url".to_string(),
        401 => "the token was refused twice: check the API client".to_string(),
        _ => "see Jamf Pro's message".to_string(),
    };
    let cause = if cause.is_empty() {
        String::new()
    } else {
        format!(" {cause}")
    };
    anyhow::anyhow!("Jamf Pro refused {path} (HTTP {status}{cause}): {fix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::fetch::testing::{limits, reply, server};

    static SECRET: std::sync::LazyLock<Secret> =
        std::sync::LazyLock::new(|| Secret::new("jamf-S3cret".into()));

    const TOKEN: &str = r#"{"access_token":"jamf-token-one","token_type":"Bearer","scope":"api-role:1","expires_in":1199}"#;

    #[test]
    fn rsql_quotes_values_and_joins_with_or() {
        let filter = ComputerFilter {
            serials: vec!["C02XK1JHJG5H".into()],
            names: vec!["Jane's \"Mac\"".into()],
            emails: Vec::new(),
        };
        assert_eq!(
            filter.rsql().unwrap(),
            r#"hardware.serialNumber=="C02XK1JHJG5H",general.name=="Jane's \"Mac\"""#
        );
        assert_eq!(ComputerFilter::default().rsql(), None);
    }

    #[test]
    fn an_older_server_s_inventory_version_then_pages_to_the_total() {
        // A full first page, IDs as strings; the second as numbers.
        let full: Vec<String> = (1..=500).map(|id| format!(r#"{{"id":"{id}"}}"#)).collect();
        let (base, seen) = server(vec![
            reply("200 OK", "", TOKEN),
            reply("404 Not Found", "", r#"{"httpStatus":404,"errors":[]}"#),
            reply("404 Not Found", "", r#"{"httpStatus":404,"errors":[]}"#),
            reply(
                "200 OK",
                "",
                &format!(r#"{{"totalCount":501,"results":[{}]}}"#, full.join(",")),
            ),
            reply("200 OK", "", r#"{"totalCount":501,"results":[{"id":501}]}"#),
        ]);
        let client = Client::new(limits());
        let api = JamfApi::new(&client, base, "api-client", &SECRET);
        let folder = tempfile::tempdir().unwrap();
        let filter = ComputerFilter {
            serials: vec!["C02XK1JHJG5H".into()],
            ..ComputerFilter::default()
        };
        let inventory = api
            .inventory(
                &filter,
                &Folder::open_or_create(folder.path(), "--out").unwrap(),
                None,
                &Progress::hidden(),
            )
            .unwrap();
        assert_eq!(inventory.version, "v1");
        let ids: Vec<String> = (1..=501).map(|id| id.to_string()).collect();
        assert_eq!(inventory.computer_ids, ids);
        assert_eq!(
            (inventory.collected.pages, inventory.collected.records),
            (2, 501)
        );
        let seen = seen.lock().unwrap();
        assert!(seen[0].starts_with("POST /api/oauth/token"), "{}", seen[0]);
        assert!(
            seen[0].contains("grant_type=client_credentials"),
            "{}",
            seen[0]
        );
        assert!(
            seen[1].starts_with("GET /api/v4/computers-inventory?section=GENERAL"),
            "{}",
            seen[1]
        );
        assert!(
            seen[3].contains("filter=hardware%2EserialNumber%3D%3D%22C02XK1JHJG5H%22"),
            "{}",
            seen[3]
        );
        assert!(seen[4].contains("page=1&"), "{}", seen[4]);
        assert!(seen[4].contains("Bearer jamf-token-one"), "{}", seen[4]);
    }

    #[test]
    fn refusals_name_the_privilege_or_the_url() {
        let client = Client::new(limits());
        let folder = tempfile::tempdir().unwrap();
        let (base, _) = server(vec![reply(
            "401 Unauthorized",
            "",
            r#"{"error":"invalid_client","error_description":"Client authentication failed"}"#,
        )]);
        let inventory_error = |base| {
            JamfApi::new(&client, base, "api-client", &SECRET)
                .inventory(
                    &ComputerFilter::default(),
                    &Folder::open_or_create(folder.path(), "--out").unwrap(),
                    None,
                    &Progress::hidden(),
                )
                .unwrap_err()
                .to_string()
        };
        let error = inventory_error(base);
        assert!(error.contains("--jamf-client-id"), "{error}");
        assert!(!error.contains("jamf-S3cret"), "{error}");
        let (base, _) = server(vec![
            reply("200 OK", "", TOKEN),
            reply(
                "403 Forbidden",
                "",
                r#"{"httpStatus":403,"errors":[{"code":"INVALID_PRIVILEGE","description":"Forbidden","id":"0","field":null}]}"#,
            ),
        ]);
        let api = JamfApi::new(&client, base, "api-client", &SECRET);
        let error = api
            .compliance(
                &["12".to_string()],
                &Folder::open_or_create(folder.path(), "--out").unwrap(),
                &Progress::hidden(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"Read Device Compliance Information\"")
                && error.contains("INVALID_PRIVILEGE"),
            "{error}"
        );
        let (base, _) = server(vec![Some(
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: 9\r\nConnection: close\r\n\r\n<html/>\r\n".to_string(),
        )]);
        let error = inventory_error(base);
        assert!(error.contains("check --jamf-url"), "{error}");
    }

    #[test]
    fn compliance_of_each_computer_five_at_a_time_none_skipped() {
        let mut answers = vec![reply("200 OK", "", TOKEN)];
        for id in 1..=7 {
            let body = if id == 4 {
                "[]".to_string()
            } else {
                format!(
                    r#"[{{"deviceId":"{id}","applicable":true,"complianceState":"COMPLIANT","complianceVendor":"Intune","complianceVendorDeviceInformation":{{"deviceIds":[]}}}}]"#
                )
            };
            answers.push(reply("200 OK", "", &body));
        }
        let (base, seen) = server(answers);
        let client = Client::new(limits());
        let api = JamfApi::new(&client, base, "api-client", &SECRET);
        let folder = tempfile::tempdir().unwrap();
        let ids: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
        let collected = api
            .compliance(
                &ids,
                &Folder::open_or_create(folder.path(), "--out").unwrap(),
                &Progress::hidden(),
            )
            .unwrap();
        assert_eq!(
            (collected.pages, collected.records, collected.files.len()),
            (7, 6, 6)
        );
        assert_eq!(seen.lock().unwrap().len(), 8);
    }
}
