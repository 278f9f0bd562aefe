//! Microsoft Graph: the app's token (client credentials with a secret or a
//! certificate's signed assertion, or an admin's device-code sign-in) and
//! collections read page by page (`@odata.nextLink`) into export files the
//! offline readers read as they are. A token that expires mid-run is
//! renewed once; Graph's and Entra ID's errors become one line naming the
//! cause and the fix (no Entra ID P1, a missing permission, a wrong
//! tenant, client or secret).

use super::assertion::AppCertificate;
use super::http::{Client, Endpoint};
use super::progress::Progress;
use crate::util::folder::Folder;
use serde_json::Value;
use std::cell::RefCell;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// A credential: printed as `[secret]`, never as itself.
pub(crate) struct Secret(String);

impl Secret {
    /// Wraps `value`.
    pub(crate) fn new(value: String) -> Secret {
        Secret(value)
    }

    /// The value, for the one request that sends it.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[secret]")
    }
}

/// How the app proves who it is.
#[derive(Debug)]
pub(crate) enum Credential {
    /// A client secret.
    Secret(Secret),
    /// A certificate uploaded to the app registration, and its key.
    Certificate(Box<AppCertificate>),
    /// An admin signs in on another device with a code (delegated
    /// permissions); the refresh token renews it.
    DeviceCode,
}

/// Microsoft's clouds: the login and Graph hosts of each.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Cloud {
    /// `login.microsoftonline.com`, `graph.microsoft.com`.
    Global,
    /// US Government (GCC High).
    Usgov,
    /// US Government DoD.
    UsgovDod,
    /// Microsoft Azure operated by 21Vianet.
    China,
}

impl Cloud {
    /// The login host.
    pub(crate) fn login(self) -> &'static str {
        match self {
            Cloud::Global => "https://login.microsoftonline.com",
            Cloud::Usgov | Cloud::UsgovDod => "https://login.microsoftonline.us",
            Cloud::China => "https://login.chinacloudapi.cn",
        }
    }

    /// The Graph host.
    pub(crate) fn graph(self) -> &'static str {
        match self {
            Cloud::Global => "https://graph.microsoft.com",
            Cloud::Usgov => "https://graph.microsoft.us",
            Cloud::UsgovDod => "https://dod-graph.microsoft.us",
            Cloud::China => "https://microsoftgraph.chinacloudapi.cn",
        }
    }
}

/// An app registration signing in to Graph.
pub(crate) struct Graph<'a> {
    client: &'a Client,
    login: Endpoint,
    graph: Endpoint,
    tenant: String,
    client_id: String,
    credential: &'a Credential,
    token: RefCell<Option<String>>,
    refresh: RefCell<Option<Secret>>,
    /// Why the app's sign-in failed, once it has: every later kind fails
    /// with it at once rather than asking Entra ID again.
    sign_in_failed: RefCell<Option<String>>,
}

/// What a collection gave.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Collected {
    /// Pages read.
    pub(crate) pages: u32,
    /// Records in them.
    pub(crate) records: u64,
    /// The files written, one per page.
    pub(crate) files: Vec<PathBuf>,
    /// Requests tried again (throttled, unavailable, a connection lost).
    pub(crate) retries: u32,
}

impl<'a> Graph<'a> {
    /// The app `client_id` of `tenant`, at `login` and `graph`.
    pub(crate) fn new(
        client: &'a Client,
        login: Endpoint,
        graph: Endpoint,
        tenant: &str,
        client_id: &str,
        credential: &'a Credential,
    ) -> Graph<'a> {
        Graph {
            client,
            login,
            graph,
            tenant: tenant.to_string(),
            client_id: client_id.to_string(),
            credential,
            token: RefCell::new(None),
            refresh: RefCell::new(None),
            sign_in_failed: RefCell::new(None),
        }
    }

    /// A token for Graph: the one held, or a new one; after a failed
    /// sign-in, its error again without a request.
    fn token(&self, renew: bool) -> anyhow::Result<String> {
        if let Some(failed) = self.sign_in_failed.borrow().as_ref() {
            return Err(anyhow::Error::msg(failed.clone()));
        }
        if !renew && let Some(token) = self.token.borrow().as_ref() {
            return Ok(token.clone());
        }
        let token = self.sign_in();
        if let Err(error) = &token {
            *self.sign_in_failed.borrow_mut() = Some(format!("{error:#}"));
        }
        token
    }

    /// Asks Entra ID for a token for Graph.
    fn sign_in(&self) -> anyhow::Result<String> {
        let url = self
            .login
            .join(&format!("{}/oauth2/v2.0/token", self.tenant));
        let scope = format!("{}/.default", self.graph.as_str().trim_end_matches('/'));
        let mut form: Vec<(&str, String)> = vec![("client_id", self.client_id.clone())];
        match &self.credential {
            Credential::Secret(secret) => {
                form.push(("scope", scope));
                form.push(("client_secret", secret.expose().to_string()));
                form.push(("grant_type", "client_credentials".to_string()));
            }
            Credential::Certificate(certificate) => {
                form.push(("scope", scope));
                form.push((
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer".to_string(),
                ));
                form.push((
                    "client_assertion",
                    certificate.assertion(
                        &self.client_id,
                        url.as_str(),
                        chrono::Utc::now().timestamp(),
                    )?,
                ));
                form.push(("grant_type", "client_credentials".to_string()));
            }
            Credential::DeviceCode => {
                let refresh = self.refresh.borrow_mut().take();
                match refresh {
                    Some(refresh) => {
                        form.push(("scope", scope));
                        form.push(("refresh_token", refresh.expose().to_string()));
                        form.push(("grant_type", "refresh_token".to_string()));
                    }
                    None => return self.device_code_sign_in(&scope),
                }
            }
        }
        let fields: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = self.client.post_form(&url, &fields)?;
        let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        match response.status {
            200 => self.hold(&body),
            status => Err(token_error(status, &body)),
        }
    }

    /// Keeps the token (and refresh token) of a token response.
    fn hold(&self, body: &Value) -> anyhow::Result<String> {
        let token = body
            .get("access_token")
            .and_then(Value::as_str)
            .ok_or_else(|| token_error(200, body))?;
        if let Some(refresh) = body.get("refresh_token").and_then(Value::as_str) {
            *self.refresh.borrow_mut() = Some(Secret::new(refresh.to_string()));
        }
        *self.token.borrow_mut() = Some(token.to_string());
        Ok(token.to_string())
    }

    /// An admin's sign-in with a device code: the code and where to enter
    /// it on standard error, then the token endpoint asked at the interval
    /// Entra ID sets until the admin is done, declines or the code expires.
    fn device_code_sign_in(&self, scope: &str) -> anyhow::Result<String> {
        let url = self
            .login
            .join(&format!("{}/oauth2/v2.0/devicecode", self.tenant));
        let scope = format!("{scope} offline_access");
        let response = self.client.post_form(
            &url,
            &[
                ("client_id", self.client_id.as_str()),
                ("scope", scope.as_str()),
            ],
        )?;
        let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
        let (Some(device_code), 200) = (
            body.get("device_code").and_then(Value::as_str),
            response.status,
        ) else {
            return Err(token_error(response.status, &body));
        };
        let message = body
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or_default();
        eprintln!("{}", crate::util::text::for_terminal(message));
        // The server's numbers are bounded: a poll at most a minute apart,
        // a code that lasts at most an hour (Entra ID's: 5 s and 15 min).
        let mut interval = body
            .get("interval")
            .and_then(Value::as_u64)
            .unwrap_or(5)
            .clamp(1, MAX_POLL_INTERVAL);
        let lasts = body
            .get("expires_in")
            .and_then(Value::as_u64)
            .unwrap_or(900)
            .min(MAX_DEVICE_CODE_LIFE);
        let until = Instant::now() + Duration::from_secs(lasts);
        let token_url = self
            .login
            .join(&format!("{}/oauth2/v2.0/token", self.tenant));
        loop {
            // Never asleep past the code's expiry or the run's deadline.
            let left = until
                .saturating_duration_since(Instant::now())
                .min(self.client.time_left());
            if left.is_zero() {
                return Err(device_code_expired(lasts));
            }
            std::thread::sleep(Duration::from_secs(interval).min(left));
            let response = self.client.post_form(
                &token_url,
                &[
                    ("client_id", self.client_id.as_str()),
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                    ("device_code", device_code),
                ],
            )?;
            let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
            if response.status == 200 {
                return self.hold(&body);
            }
            match body.get("error").and_then(Value::as_str) {
                Some("authorization_pending") if Instant::now() < until => {}
                Some("authorization_pending") => return Err(device_code_expired(lasts)),
                Some("slow_down") => interval = (interval + 5).min(MAX_POLL_INTERVAL),
                _ => return Err(token_error(response.status, &body)),
            }
        }
    }

    /// Reads the collection at `path` (and query), page after page, into
    /// `folder` as `{stem}-NNNN.json`, until its end or `max_records`.
    pub(crate) fn collect(
        &self,
        path: &str,
        folder: &Folder,
        stem: &str,
        max_records: Option<u64>,
        progress: &Progress,
    ) -> anyhow::Result<Collected> {
        let mut collected = Collected::default();
        // Messages name the path, not its query (filters may name users).
        let shown = path.split('?').next().unwrap_or_default();
        let mut next = Some(self.graph.join(path));
        let mut links_seen = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if collected.pages >= self.client.limits().max_pages {
                return Err(too_many_pages(shown, self.client.limits().max_pages));
            }
            let mut response = self.client.get(&url, Some(&self.token(false)?))?;
            collected.retries += response.tries - 1;
            if response.status == 401 {
                response = self.client.get(&url, Some(&self.token(true)?))?;
                collected.retries += response.tries - 1;
            }
            if response.status != 200 {
                let body: Value = serde_json::from_slice(&response.body).unwrap_or(Value::Null);
                return Err(graph_error(response.status, &body, path));
            }
            // Only the records' count and the next link are needed: the
            // records are skipped, not built.
            let page: PageOutline = serde_json::from_slice(&response.body).map_err(|e| {
                anyhow::anyhow!("{shown}: Graph answered with JSON that cannot be read ({e})")
            })?;
            let records = page.value.map_or(0, |v| v.len() as u64);
            collected.pages += 1;
            collected.records += records;
            progress.page(records, response.tries - 1);
            let name = format!("{stem}-{:04}.json", collected.pages);
            folder.write_new(&name, &response.body)?;
            collected.files.push(folder.join(&name));
            if max_records.is_some_and(|max| collected.records >= max) {
                break;
            }
            next = match page.next_link.as_deref() {
                // The token goes only where the first request went: the
                // same scheme, host and port, parsed.
                Some(link) if !links_seen.insert(link.to_string()) => {
                    return Err(anyhow::anyhow!(
                        "{shown}: Graph's next page link repeats an earlier one: stopped after {} pages",
                        collected.pages
                    ));
                }
                Some(link) => match Endpoint::parse(link) {
                    Ok(link) if link.same_origin(&self.graph) => Some(link),
                    _ => {
                        return Err(anyhow::anyhow!(
                            "{shown}: Graph's next page is on another host: not followed"
                        ));
                    }
                },
                None => None,
            };
        }
        Ok(collected)
    }
}

/// A collection that pages past the limit, in words.
pub(crate) fn too_many_pages(shown: &str, max: u32) -> anyhow::Error {
    anyhow::anyhow!(
        "{shown}: stopped after {max} pages (--max-pages): narrow what is fetched (--since, --user, --device-id) or raise --max-pages"
    )
}

/// What is read of a page of a collection.
#[derive(serde::Deserialize)]
struct PageOutline {
    /// The records, skipped.
    value: Option<Vec<serde::de::IgnoredAny>>,
    /// The next page.
    #[serde(rename = "@odata.nextLink")]
    next_link: Option<String>,
}

/// The longest wait between two polls of a device-code sign-in.
const MAX_POLL_INTERVAL: u64 = 60;

/// The longest a device code is waited for.
const MAX_DEVICE_CODE_LIFE: u64 = 3600;

/// A device code that ran out before the admin signed in (or the run's
/// time limit did).
fn device_code_expired(seconds: u64) -> anyhow::Error {
    anyhow::anyhow!(
        "the device code expired (after {seconds} s, or the run's time limit) before the sign-in was done: run again and sign in sooner"
    )
}

/// Entra ID's refusal of the app's sign-in, in one line with the fix.
fn token_error(status: u16, body: &Value) -> anyhow::Error {
    let description = body
        .get("error_description")
        .and_then(Value::as_str)
        .and_then(|d| d.lines().next())
        .unwrap_or("no description");
    let code = body
        .get("error_codes")
        .and_then(Value::as_array)
        .and_then(|codes| codes.first())
        .and_then(Value::as_i64);
    let fix = match code {
        Some(7000215 | 7000222) => {
            "the client secret is wrong or expired: create a new one in the app registration (Certificates & secrets)"
        }
        Some(700016) => "no such app in this tenant: check --client-id and --tenant-id",
        Some(90002 | 900023) => "no such tenant: check --tenant-id",
        Some(70011) => "the scope is not valid: check --graph-url",
        Some(700027 | 700024) => {
            "the client assertion was refused: upload this certificate to the app registration (Certificates & secrets) and check the clock"
        }
        Some(530033 | 53000 | 53001) => {
            "a Conditional Access policy requiring a compliant or registered device blocked the admin's device-code sign-in: sign in from a compliant device, or use the app's own credential (a certificate or secret) instead of --device-code"
        }
        Some(70020) => "the device code expired before the sign-in was done: run again",
        Some(70000 | 65004) => "the sign-in was declined: run again and accept",
        _ => "check --tenant-id, --client-id and the secret",
    };
    anyhow::anyhow!("Entra ID refused the app's sign-in (HTTP {status}): {description}; {fix}")
}

/// The permission a Graph path needs.
fn permission(path: &str) -> &'static str {
    if path.contains("auditLogs/signIns") {
        "AuditLog.Read.All"
    } else if path.contains("conditionalAccess") {
        "Policy.Read.All"
    } else if path.contains("managedDevices") {
        "DeviceManagementManagedDevices.Read.All"
    } else {
        "Device.Read.All"
    }
}

/// Graph's refusal of a request, in one line with the fix.
fn graph_error(status: u16, body: &Value, path: &str) -> anyhow::Error {
    let path = path.split('?').next().unwrap_or_default();
    let error = body.get("error");
    let code = error
        .and_then(|e| e.get("code"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let message = error
        .and_then(|e| e.get("message"))
        .and_then(Value::as_str)
        .unwrap_or("no message");
    let fix = match (status, code) {
        (_, "Authentication_ApplicationHasNoDirectoryReadAccess") => format!(
            "the app lacks the application permission Directory.Read.All, which Graph needs beside {}: add it in the app registration (API permissions) and grant admin consent",
            permission(path)
        ),
        (_, "Authentication_RequestFromNonPremiumTenantOrB2CTenant") => {
            "the tenant has no Microsoft Entra ID P1 licence, which sign-in logs through Graph need: download them from the admin center instead".to_string()
        }
        (403, _) | (_, "Authorization_RequestDenied") => format!(
            "the app lacks the application permission {}: add it in the app registration (API permissions) and grant admin consent",
            permission(path)
        ),
        (404, _) => "not found: check --graph-url".to_string(),
        _ => "see Graph's message".to_string(),
    };
    anyhow::anyhow!("Graph refused {path} (HTTP {status} {code}): {message}; {fix}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::fetch::testing::{limits, reply, server};

    /// A fresh folder to fetch into.
    fn out(folder: &tempfile::TempDir) -> Folder {
        Folder::open_or_create(folder.path(), "--out").unwrap()
    }

    const TOKEN: &str = r#"{"token_type":"Bearer","expires_in":3599,"access_token":"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.token-one"}"#;

    static SECRET: std::sync::LazyLock<Credential> = std::sync::LazyLock::new(|| {
        Credential::Secret(Secret::new("Sup3rSecretValue".to_string()))
    });

    fn graph<'a>(client: &'a Client, base: &Endpoint) -> Graph<'a> {
        Graph::new(
            client,
            base.clone(),
            base.clone(),
            "contoso.onmicrosoft.com",
            "c0ffee00-1111-4222-8333-444455556666",
            &SECRET,
        )
    }

    #[test]
    fn pages_are_followed_to_the_end_and_a_token_renewed_once_mid_run() {
        let (base, seen) = server(vec![
            reply("200 OK", "", TOKEN),
            reply(
                "200 OK",
                "",
                r#"{"value":[{"deviceId":"x"},{"deviceId":"y"}],"@odata.nextLink":"{base}/v1.0/devices?$skiptoken=p2"}"#,
            ),
            reply(
                "401 Unauthorized",
                "",
                r#"{"error":{"code":"InvalidAuthenticationToken","message":"Lifetime validation failed"}}"#,
            ),
            reply(
                "200 OK",
                "",
                r#"{"token_type":"Bearer","expires_in":3599,"access_token":"token-two"}"#,
            ),
            reply("200 OK", "", r#"{"value":[{"deviceId":"a"}]}"#),
        ]);
        let client = Client::new(limits());
        let folder = tempfile::tempdir().unwrap();
        let collected = graph(&client, &base)
            .collect(
                "/v1.0/devices?$select=deviceId",
                &out(&folder),
                "devices",
                None,
                &Progress::hidden(),
            )
            .unwrap();
        assert_eq!((collected.pages, collected.records), (2, 3));
        assert_eq!(
            std::fs::read_to_string(&collected.files[1]).unwrap(),
            r#"{"value":[{"deviceId":"a"}]}"#
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&collected.files[0])
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let seen = seen.lock().unwrap();
        assert!(
            seen[0].starts_with("POST /contoso.onmicrosoft.com/oauth2/v2.0/token"),
            "{}",
            seen[0]
        );
        assert!(
            seen[0].contains("grant_type=client_credentials"),
            "{}",
            seen[0]
        );
        assert!(
            seen[1].starts_with("GET /v1.0/devices?$select=deviceId"),
            "{}",
            seen[1]
        );
        assert!(
            seen[2].starts_with("GET /v1.0/devices?$skiptoken=p2"),
            "{}",
            seen[2]
        );
        assert!(
            seen[4].contains("token-two"),
            "the renewed token: {}",
            seen[4]
        );
    }

    #[test]
    fn refusals_are_one_line_with_the_fix_and_no_secret() {
        let non_premium = r#"{"error":{"code":"Authentication_RequestFromNonPremiumTenantOrB2CTenant","message":"Neither tenant is B2C or tenant doesn't have premium license","innerError":{"date":"2021-09-02T14:32:39","request-id":"2501535b-2fd7-43e3-87db-c12cbe31fca0"}}}"#;
        let denied = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#;
        let bad_secret = r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.\r\nTrace ID: x","error_codes":[7000215]}"#;
        let client = Client::new(limits());
        let folder = tempfile::tempdir().unwrap();
        let (base, _) = server(vec![
            reply("200 OK", "", TOKEN),
            reply("403 Forbidden", "", non_premium),
        ]);
        let error = graph(&client, &base)
            .collect(
                "/v1.0/auditLogs/signIns?$top=1000",
                &out(&folder),
                "signins",
                None,
                &Progress::hidden(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("no Microsoft Entra ID P1 licence"),
            "{error}"
        );
        let (base, _) = server(vec![
            reply("200 OK", "", TOKEN),
            reply("403 Forbidden", "", denied),
        ]);
        let error = graph(&client, &base)
            .collect(
                "/v1.0/deviceManagement/managedDevices",
                &out(&folder),
                "managed",
                None,
                &Progress::hidden(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("DeviceManagementManagedDevices.Read.All"),
            "{error}"
        );
        let (base, _) = server(vec![reply("401 Unauthorized", "", bad_secret)]);
        let error = graph(&client, &base)
            .collect(
                "/v1.0/devices",
                &out(&folder),
                "devices",
                None,
                &Progress::hidden(),
            )
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("AADSTS7000215") && error.contains("create a new one"),
            "{error}"
        );
        assert!(
            !error.contains("Sup3rSecret") && !error.contains('\n'),
            "{error}"
        );
        // A next page on another host is not followed with the token, nor
        // one that merely starts like Graph's URL: another port (the same
        // digits and one more), a longer host, a user before the host.
        for (index, next) in [
            "https://elsewhere.example/v1.0/devices?p=2",
            "{base}0/v1.0/devices?p=2",
            "{base}.evil.example/v1.0/devices?p=2",
            "{base}@evil.example/v1.0/devices?p=2",
        ]
        .into_iter()
        .enumerate()
        {
            let (base, seen) = server(vec![
                reply("200 OK", "", TOKEN),
                reply(
                    "200 OK",
                    "",
                    &format!(r#"{{"value":[],"@odata.nextLink":"{next}"}}"#),
                ),
            ]);
            let error = graph(&client, &base)
                .collect(
                    "/v1.0/devices",
                    &out(&folder),
                    &format!("other{index}"),
                    None,
                    &Progress::hidden(),
                )
                .unwrap_err()
                .to_string();
            assert!(error.contains("another host"), "{next}: {error}");
            assert_eq!(seen.lock().unwrap().len(), 2, "{next}: no third request");
        }
    }
}
