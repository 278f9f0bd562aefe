//! The one HTTP client of fetching: rustls (nothing to install on a Mac),
//! the proxy the environment names (`HTTPS_PROXY`), connect and read time
//! limits and an overall deadline; `https://` only, plain `http://` for
//! loopback addresses alone; 429, 503 and 504 retried a bounded number of
//! times, after the `Retry-After` the server asks (fractional seconds too)
//! or else an exponential back-off with jitter (a response that stalls past
//! the time limit, once only); every failure one line naming its cause,
//! never a credential.

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
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connect: Duration::from_secs(15),
            response: Duration::from_secs(60),
            overall: Duration::from_secs(30 * 60),
            retries: 5,
            max_wait: Duration::from_secs(60),
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

/// The client.
pub(crate) struct Client {
    agent: ureq::Agent,
    limits: Limits,
    deadline: Instant,
}

impl Client {
    /// A client within `limits`, through the environment's proxy.
    pub(crate) fn new(limits: Limits) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(limits.connect))
            .timeout_recv_response(Some(limits.response))
            .timeout_recv_body(Some(limits.response))
            .http_status_as_error(false)
            .max_redirects(3)
            .proxy(ureq::Proxy::try_from_env())
            .user_agent(concat!("ca-doctor/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.new_agent(),
            limits,
            deadline: Instant::now() + limits.overall,
        }
    }

    /// `GET url`, with a bearer token when given.
    pub(crate) fn get(&self, url: &Endpoint, bearer: Option<&str>) -> anyhow::Result<Response> {
        self.send(url, |agent| {
            let mut request = agent.get(url.as_str()).header("Accept", "application/json");
            if let Some(token) = bearer {
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
            let wait = match request(&self.agent) {
                Ok(mut response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get("Retry-After")
                        .and_then(|v| v.to_str().ok())
                        .and_then(retry_after);
                    let body = response
                        .body_mut()
                        .with_config()
                        .limit(MAX_BODY)
                        .read_to_vec()
                        .map_err(|e| {
                            anyhow::anyhow!(
                                "{}: reading the response failed: {e}",
                                without_query(url)
                            )
                        })?;
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
            if Instant::now() + wait >= self.deadline {
                return Err(anyhow::anyhow!(
                    "{}: the overall time limit ran out while retrying",
                    without_query(url)
                ));
            }
            std::thread::sleep(wait);
        }
    }
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
        }
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
