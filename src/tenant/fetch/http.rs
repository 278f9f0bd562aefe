//! The one HTTP client of fetching: rustls (nothing to install on a Mac),
//! the proxy the environment names (`HTTPS_PROXY`), connect and read time
//! limits and an overall deadline; `https://` only, plain `http://` for
//! loopback addresses alone; 429, 503 and 504 retried a bounded number of
//! times, after the `Retry-After` the server asks (fractional seconds too)
//! or else an exponential back-off with jitter (a response that stalls past
//! the time limit, once only); no redirect followed (each would be a hop
//! the https-only rule never saw); a budget of bytes per run; every
//! failure one line naming its cause, never a credential (every secret the
//! client sent is scrubbed from what servers say back).

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A URL requests may go to: `https://`, or `http://` to a loopback
/// address (test servers, local proxies).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Endpoint(String);

impl Endpoint {
    /// Checks `url`, parsed (never compared as text): `https://` with a
    /// host, or `http://` to a loopback host; no user name or password
    /// before the host (`http://localhost:80@example.invalid` goes to
    /// example.invalid).
    pub(crate) fn parse(url: &str) -> anyhow::Result<Endpoint> {
        let url = url.trim();
        let origin = Origin::of(url)?;
        if origin.scheme == "https" {
            return Ok(Endpoint(url.to_string()));
        }
        let host = origin.host.trim_start_matches('[').trim_end_matches(']');
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            Ok(Endpoint(url.to_string()))
        } else {
            Err(anyhow::anyhow!(
                "{url}: plain http:// is accepted for loopback addresses only; use https://"
            ))
        }
    }

    /// Whether `other` goes to the same scheme, host and port as this one
    /// (where a bearer token may follow).
    pub(crate) fn same_origin(&self, other: &Endpoint) -> bool {
        matches!((Origin::of(&self.0), Origin::of(&other.0)), (Ok(a), Ok(b)) if a == b)
    }

    /// The URL.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// This endpoint with `path` (and query) appended.
    pub(crate) fn join(&self, path: &str) -> Endpoint {
        Endpoint(format!(
            "{}/{}",
            self.0.trim_end_matches('/'),
            path.trim_start_matches('/')
        ))
    }
}

/// Where a URL goes: its scheme, host (lower case) and port (the scheme's
/// own when none is written).
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of `url`: an `https://` or `http://` URL with a host and
    /// no user information.
    fn of(url: &str) -> anyhow::Result<Origin> {
        let scheme = url.split_once("://").map(|(scheme, _)| scheme);
        if !scheme
            .is_some_and(|s| s.eq_ignore_ascii_case("https") || s.eq_ignore_ascii_case("http"))
        {
            return Err(anyhow::anyhow!("{url}: not an https:// URL"));
        }
        let uri: ::http::Uri = url
            .parse()
            .map_err(|e| anyhow::anyhow!("{url}: not a URL ({e})"))?;
        let scheme = uri.scheme_str().unwrap_or_default().to_ascii_lowercase();
        let default_port = match scheme.as_str() {
            "https" => 443,
            "http" => 80,
            _ => return Err(anyhow::anyhow!("{url}: not an https:// URL")),
        };
        let authority = uri
            .authority()
            .ok_or_else(|| anyhow::anyhow!("{url}: no host"))?;
        if authority.as_str().contains('@') {
            return Err(anyhow::anyhow!(
                "{url}: a user name or password before the host is not accepted"
            ));
        }
        let host = authority.host().to_ascii_lowercase();
        if host.is_empty() {
            return Err(anyhow::anyhow!("{url}: no host"));
        }
        Ok(Origin {
            scheme,
            host,
            port: authority.port_u16().unwrap_or(default_port),
        })
    }
}

/// Time limits of a client.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// To connect.
    pub(crate) connect: Duration,
    /// For one response (headers and body).
    pub(crate) response: Duration,
    /// For everything the client does.
    pub(crate) overall: Duration,
    /// Retries of one request (429, 503, 504, a connection that failed).
    pub(crate) retries: u32,
    /// The longest wait between two tries.
    pub(crate) max_wait: Duration,
    /// Pages one collection may take (a server that pages forever).
    pub(crate) max_pages: u32,
    /// Bytes all responses of a run may total.
    pub(crate) max_bytes: u64,
}

/// Pages of one collection, unless `--max-pages` says otherwise: 20
/// million sign-ins at Graph's 1,000 a page, 10 million computers at
/// Jamf's 500.
pub(crate) const DEFAULT_MAX_PAGES: u32 = 20_000;

/// Bytes of a run, unless `--max-bytes` says otherwise.
pub(crate) const DEFAULT_MAX_BYTES: u64 = 16 << 30;

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect: Duration::from_secs(15),
            response: Duration::from_secs(60),
            overall: Duration::from_secs(30 * 60),
            retries: 5,
            max_wait: Duration::from_secs(60),
            max_pages: DEFAULT_MAX_PAGES,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

/// Retries of a connection that failed or was lost: a wrong host or port
/// is told within seconds, a passing hiccup is ridden out.
const CONNECTION_RETRIES: u32 = 2;

/// Largest response body read: a page of 1,000 sign-ins is a few MB.
const MAX_BODY: u64 = 64 << 20;

/// A response that arrived.
#[derive(Debug)]
pub(crate) struct Response {
    /// The HTTP status.
    pub(crate) status: u16,
    /// The body.
    pub(crate) body: Vec<u8>,
    /// Tries it took (1: none retried).
    pub(crate) tries: u32,
}

/// Form fields whose values are secrets: scrubbed from what servers say.
const SECRET_FIELDS: [&str; 4] = [
    "client_secret",
    "client_assertion",
    "refresh_token",
    "device_code",
];

/// The client.
pub(crate) struct Client {
    agent: ureq::Agent,
    limits: Limits,
    deadline: Instant,
    /// Bytes of responses read so far.
    bytes_read: AtomicU64,
    /// Every secret sent (form secrets, bearer tokens): never repeated.
    sent_secrets: Mutex<Vec<String>>,
}

impl Client {
    /// A client within `limits`, through the environment's proxy.
    pub(crate) fn new(limits: Limits) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(limits.connect))
            .timeout_recv_response(Some(limits.response))
            .timeout_recv_body(Some(limits.response))
            .http_status_as_error(false)
            .max_redirects(0)
            .proxy(ureq::Proxy::try_from_env())
            .user_agent(concat!("ca-doctor/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.new_agent(),
            limits,
            deadline: Instant::now()
                .checked_add(limits.overall)
                .unwrap_or_else(Instant::now),
            bytes_read: AtomicU64::new(0),
            sent_secrets: Mutex::new(Vec::new()),
        }
    }

    /// The limits it keeps.
    pub(crate) fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The time left before the overall deadline.
    pub(crate) fn time_left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The run's byte budget spent, in words.
    fn over_budget(&self, url: &Endpoint) -> anyhow::Error {
        anyhow::anyhow!(
            "{}: stopped: this run has read its {} (--max-bytes); narrow what is fetched (--since, --user, --device-id) or raise --max-bytes",
            without_query(url),
            match self.limits.max_bytes {
                bytes if bytes < 1 << 20 => format!("{bytes} bytes"),
                bytes => format!("{} MiB", bytes >> 20),
            }
        )
    }

    /// Remembers `secret` as sent, to scrub it from what servers say.
    fn sent(&self, secret: &str) {
        if secret.len() < 4 {
            return;
        }
        if let Ok(mut secrets) = self.sent_secrets.lock()
            && !secrets.iter().any(|s| s == secret)
        {
            secrets.push(secret.to_string());
        }
    }

    /// `text` (from a server, or a message built from it) with every
    /// secret this client sent replaced by `[secret]`: as sent, and as a
    /// form or a URL would encode it.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let Ok(secrets) = self.sent_secrets.lock() else {
            return "[a message that could not be checked for secrets]".to_string();
        };
        scrub(text, &secrets)
    }

    /// `GET url`, with a bearer token when given.
    pub(crate) fn get(&self, url: &Endpoint, bearer: Option<&str>) -> anyhow::Result<Response> {
        self.send(url, |agent| {
            let mut request = agent.get(url.as_str()).header("Accept", "application/json");
            if let Some(token) = bearer {
                self.sent(token);
                request = request.header("Authorization", &format!("Bearer {token}"));
            }
            request.call()
        })
    }

    /// `POST url` with a form body (token requests).
    pub(crate) fn post_form(
        &self,
        url: &Endpoint,
        fields: &[(&str, &str)],
    ) -> anyhow::Result<Response> {
        for (name, value) in fields {
            if SECRET_FIELDS.contains(name) {
                self.sent(value);
            }
        }
        self.send(url, |agent| {
            agent
                .post(url.as_str())
                .header("Accept", "application/json")
                .send_form(fields.iter().copied())
        })
    }

    /// Sends with `request` until an answer that is not to be retried, or
    /// the retries or the deadline run out.
    fn send(
        &self,
        url: &Endpoint,
        request: impl Fn(&ureq::Agent) -> Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> anyhow::Result<Response> {
        let mut tries = 0;
        let mut stalls = 0;
        let mut lost = 0;
        loop {
            tries += 1;
            if Instant::now() >= self.deadline {
                return Err(anyhow::anyhow!(
                    "{}: the overall time limit ran out",
                    without_query(url)
                ));
            }
            let budget = self
                .limits
                .max_bytes
                .saturating_sub(self.bytes_read.load(Ordering::Relaxed));
            if budget == 0 {
                return Err(self.over_budget(url));
            }
            let wait = match request(&self.agent) {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    if (300..400).contains(&status) {
                        return Err(redirected(url, status, response.headers()));
                    }
                    let retry_after = response
                        .headers()
                        .get("Retry-After")
                        .and_then(|v| v.to_str().ok())
                        .and_then(retry_after);
                    let body = response
                        .body_mut()
                        .with_config()
                        .limit(MAX_BODY.min(budget))
                        .read_to_vec()
                        .map_err(|e| match e {
                            ureq::Error::BodyExceedsLimit(_) if budget < MAX_BODY => {
                                self.bytes_read.fetch_add(budget, Ordering::Relaxed);
                                self.over_budget(url)
                            }
                            e => anyhow::anyhow!(
                                "{}: reading the response failed: {e}",
                                without_query(url)
                            ),
                        })?;
                    self.bytes_read
                        .fetch_add(body.len() as u64, Ordering::Relaxed);
                    if !matches!(status, 429 | 503 | 504) || tries > self.limits.retries {
                        return Ok(Response {
                            status,
                            body,
                            tries,
                        });
                    }
                    retry_after.unwrap_or_else(|| backoff(tries, jitter()))
                }
                Err(ureq::Error::Timeout(_)) if stalls == 0 && tries <= self.limits.retries => {
                    stalls += 1;
                    backoff(tries, jitter())
                }
                Err(error)
                    if tries <= self.limits.retries
                        && lost < CONNECTION_RETRIES
                        && retryable(&error) =>
                {
                    lost += 1;
                    backoff(tries, jitter())
                }
                Err(error) => {
                    return Err(anyhow::anyhow!(
                        "{}: {}",
                        without_query(url),
                        describe(&error)
                    ));
                }
            };
            let wait = wait.min(self.limits.max_wait);
            if wait >= self.time_left() {
                return Err(anyhow::anyhow!(
                    "{}: the overall time limit ran out while retrying",
                    without_query(url)
                ));
            }
            std::thread::sleep(wait);
        }
    }
}

/// A redirect, refused: where it pointed (without its query), and what to do.
fn redirected(url: &Endpoint, status: u16, headers: &ureq::http::HeaderMap) -> anyhow::Error {
    let location = headers
        .get("Location")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let location = location.split('?').next().unwrap_or_default();
    anyhow::anyhow!(
        "{}: the server redirects (HTTP {status}) to {location:?}; API requests follow no redirect: give the URL the requests should go to",
        without_query(url)
    )
}

/// `text` with each of `secrets` replaced by `[secret]`, as written and as
/// percent-encoded (a form or a query echoed back).
pub(crate) fn scrub(text: &str, secrets: &[String]) -> String {
    let mut text = text.to_string();
    let mut forms: Vec<String> = secrets
        .iter()
        .filter(|s| s.len() >= 4)
        .flat_map(|secret| {
            let encoded =
                percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
                    .to_string();
            let plus = form_encoded(secret);
            [secret.clone(), encoded, plus]
        })
        .collect();
    // Longer forms first: a secret inside another is not left half done.
    forms.sort_by_key(|form| std::cmp::Reverse(form.len()));
    for form in forms {
        if text.contains(&form) {
            text = text.replace(&form, "[secret]");
        }
    }
    text
}

/// `value` as an HTML form encodes it (`application/x-www-form-urlencoded`).
fn form_encoded(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte))
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// The URL without its query (filters may name users): for messages.
fn without_query(url: &Endpoint) -> &str {
    url.as_str().split('?').next().unwrap_or_default()
}

/// Whether a failure to get an answer is worth another try.
fn retryable(error: &ureq::Error) -> bool {
    matches!(error, ureq::Error::Io(_) | ureq::Error::ConnectionFailed)
}

/// A failure in words.
fn describe(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Timeout(_) => {
            "no answer within the time limit (check the network, and HTTPS_PROXY where a proxy is needed)".to_string()
        }
        ureq::Error::HostNotFound => {
            "host not found (check the URL, the DNS, the proxy)".to_string()
        }
        ureq::Error::ConnectionFailed => {
            "the connection failed (check the network, and HTTPS_PROXY where a proxy is needed)"
                .to_string()
        }
        ureq::Error::Io(error) => format!(
            "{error} (check the network, and HTTPS_PROXY where a proxy is needed)"
        ),
        other => other.to_string(),
    }
}

/// The wait a `Retry-After` value asks for: seconds, fractional too
/// (Graph sends `2.128`); an HTTP date is not followed.
pub(crate) fn retry_after(value: &str) -> Option<Duration> {
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

/// The wait before try `tries + 1` without a `Retry-After`: 1 s doubled
/// per try, times a jitter in [0.5, 1.5).
pub(crate) fn backoff(tries: u32, jitter: f64) -> Duration {
    let base = Duration::from_secs(1) * 2u32.saturating_pow(tries.saturating_sub(1).min(10));
    base.mul_f64(jitter.clamp(0.5, 1.5))
}

/// A jitter factor in [0.5, 1.5) from the clock's nanoseconds.
fn jitter() -> f64 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    0.5 + f64::from(nanos % 1000) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tenant::fetch::testing::{reply, server};

    fn quick() -> Limits {
        Limits {
            connect: Duration::from_secs(2),
            response: Duration::from_millis(300),
            overall: Duration::from_secs(20),
            retries: 3,
            max_wait: Duration::from_secs(3),
            ..Limits::default()
        }
    }

    #[test]
    fn a_redirect_is_refused_not_followed_and_names_where_it_pointed() {
        let (url, seen) = server(vec![
            reply(
                "302 Found",
                "Location: http://example.invalid/v1.0/devices?token=x\r\n",
                "",
            ),
            reply("200 OK", "", "{\"value\":[]}"),
        ]);
        let error = Client::new(quick())
            .get(&url.join("/v1.0/devices"), Some("S3cretToken"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("redirects (HTTP 302) to \"http://example.invalid/v1.0/devices\""),
            "{error}"
        );
        assert_eq!(
            seen.lock().unwrap().len(),
            1,
            "the redirect is not followed"
        );
    }

    #[test]
    fn a_run_stops_at_its_byte_budget() {
        let page = format!("{{\"value\":\"{}\"}}", "x".repeat(600));
        let (url, _) = server(vec![reply("200 OK", "", &page), reply("200 OK", "", &page)]);
        let client = Client::new(Limits {
            max_bytes: 1000,
            ..quick()
        });
        assert_eq!(client.get(&url, None).unwrap().status, 200);
        let error = client.get(&url, None).unwrap_err().to_string();
        assert!(
            error.contains("stopped: this run has read its 1000 bytes (--max-bytes)"),
            "{error}"
        );
        let error = client.get(&url, None).unwrap_err().to_string();
        assert!(error.contains("(--max-bytes)"), "{error}");
    }

    #[test]
    fn every_secret_sent_is_scrubbed_from_what_servers_say() {
        let (url, _) = server(vec![reply("400 Bad Request", "", "{}")]);
        let client = Client::new(quick());
        let secret = "Sup3r Secret/Value+=";
        client
            .post_form(&url, &[("client_id", "app"), ("client_secret", secret)])
            .unwrap();
        let echoed = format!(
            "AADSTS7000215: Invalid client secret provided: '{secret}' ({}, {})",
            form_encoded(secret),
            percent_encoding::utf8_percent_encode(secret, percent_encoding::NON_ALPHANUMERIC)
        );
        assert_eq!(
            client.scrub(&echoed),
            "AADSTS7000215: Invalid client secret provided: '[secret]' ([secret], [secret])"
        );
        assert_eq!(client.scrub("app"), "app", "the client ID is no secret");
        assert_eq!(
            scrub("abc", &["abc".to_string()]),
            "abc",
            "too short to be a secret"
        );
    }

    #[test]
    fn retry_after_is_honoured_fractions_too_then_the_answer_returned() {
        let (url, seen) = server(vec![
            reply(
                "429 Too Many Requests",
                "Retry-After: 0.25\r\n",
                "{\"error\":{\"code\":\"TooManyRequests\"}}",
            ),
            reply("200 OK", "", "{\"value\":[]}"),
        ]);
        let started = Instant::now();
        let response = Client::new(quick())
            .get(&url.join("/v1.0/devices"), Some("S3cretToken"))
            .unwrap();
        assert!(started.elapsed() >= Duration::from_millis(250));
        assert_eq!((response.status, response.tries), (200, 2));
        assert_eq!(response.body, b"{\"value\":[]}");
        let seen = seen.lock().unwrap();
        assert!(
            seen[0].starts_with("GET /v1.0/devices HTTP/1.1"),
            "{}",
            seen[0]
        );
        assert!(seen[1].contains("Bearer S3cretToken") || seen[1].contains("bearer S3cretToken"));
    }

    #[test]
    fn a_503_without_retry_after_backs_off_and_errors_name_no_secret() {
        let (url, _) = server(vec![
            reply("503 Service Unavailable", "", "{}"),
            reply("200 OK", "", "{}"),
        ]);
        let response = Client::new(quick()).get(&url, Some("S3cretToken")).unwrap();
        assert_eq!(response.tries, 2);
        // A server that never answers: the time limit, retried, then one line.
        let (url, _) = server(vec![None, None, None, None]);
        let error = Client::new(Limits {
            retries: 1,
            ..quick()
        })
        .get(
            &url.join(
                "/v1.0/auditLogs/signIns?$filter=userPrincipalName%20eq%20%27jane%40contoso.com%27",
            ),
            Some("S3cretToken"),
        )
        .unwrap_err()
        .to_string();
        assert!(
            error.contains(
                "/v1.0/auditLogs/signIns: no answer within the time limit (check the network"
            ),
            "{error}"
        );
        assert!(
            !error.contains("S3cret") && !error.contains("jane"),
            "{error}"
        );
    }

    #[test]
    fn a_refused_connection_is_told_within_seconds() {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let started = Instant::now();
        let error = Client::new(Limits {
            retries: 5,
            ..quick()
        })
        .get(
            &Endpoint::parse(&format!("http://127.0.0.1:{port}/api/oauth/token")).unwrap(),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(
            started.elapsed() < Duration::from_secs(6),
            "{:?}",
            started.elapsed()
        );
        assert!(error.contains("/api/oauth/token: "), "{error}");
    }

    #[test]
    fn a_form_post_and_statuses_that_are_not_retried() {
        let (url, seen) = server(vec![reply(
            "400 Bad Request",
            "",
            "{\"error\":\"invalid_client\"}",
        )]);
        let response = Client::new(quick())
            .post_form(
                &url.join("/tenant/oauth2/v2.0/token"),
                &[("grant_type", "client_credentials"), ("client_id", "abc")],
            )
            .unwrap();
        assert_eq!((response.status, response.tries), (400, 1));
        let seen = seen.lock().unwrap();
        assert!(seen[0].starts_with("POST /tenant/oauth2/v2.0/token"));
        assert!(
            seen[0].ends_with("grant_type=client_credentials&client_id=abc"),
            "{}",
            seen[0]
        );
    }

    #[test]
    fn only_https_or_loopback_http() {
        assert!(Endpoint::parse("https://graph.microsoft.com").is_ok());
        assert!(Endpoint::parse("http://127.0.0.1:8080/x").is_ok());
        assert!(Endpoint::parse("http://[::1]:8080").is_ok());
        assert!(Endpoint::parse("http://localhost").is_ok());
        for bad in [
            "http://graph.microsoft.com",
            "http://10.0.0.1",
            "ftp://x",
            "https://",
            "graph.microsoft.com",
            // A user before the host: the real host is after the `@`.
            "http://localhost:80@example.invalid",
            "http://[::1]@x",
            "http://127.0.0.1:9@x",
            "https://graph.microsoft.com@evil.example/",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad}");
        }
        let graph = Endpoint::parse("https://graph.microsoft.com").unwrap();
        let same = |url: &str| graph.same_origin(&Endpoint::parse(url).unwrap());
        assert!(same(
            "https://GRAPH.microsoft.com:443/v1.0/devices?$skiptoken=x"
        ));
        assert!(!same("https://graph.microsoft.com.evil.example/v1.0"));
        assert!(!same("https://graph.microsoft.com:8443/v1.0"));
        let local = Endpoint::parse("http://127.0.0.1:5675").unwrap();
        assert!(!local.same_origin(&Endpoint::parse("http://127.0.0.1:56750/x").unwrap()));
        assert_eq!(
            Endpoint::parse("https://h/")
                .unwrap()
                .join("/v1.0/devices")
                .as_str(),
            "https://h/v1.0/devices"
        );
    }

    #[test]
    fn retry_after_values_and_the_back_off() {
        assert_eq!(retry_after("2.128"), Some(Duration::from_millis(2128)));
        assert_eq!(retry_after(" 3 "), Some(Duration::from_secs(3)));
        assert_eq!(retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None);
        assert_eq!(retry_after("-1"), None);
        assert_eq!(backoff(1, 1.0), Duration::from_secs(1));
        assert_eq!(backoff(3, 1.0), Duration::from_secs(4));
        assert_eq!(backoff(3, 0.5), Duration::from_secs(2));
        assert_eq!(backoff(99, 1.0), Duration::from_secs(1024));
    }
}
