//! A loopback server that answers like Microsoft Graph, Entra ID's token
//! endpoint and the Jamf Pro API, from routes: each request's method and
//! path (query aside) is looked up, and a route may answer differently the
//! first times it is asked (a 429, a 503, a stall) before its steady
//! answer.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

/// One answer: status line, extra headers, body.
#[derive(Clone)]
pub struct Answer {
    pub status: &'static str,
    pub headers: String,
    pub body: String,
}

impl Answer {
    /// `200 OK` with `body`.
    pub fn ok(body: impl Into<String>) -> Answer {
        Answer {
            status: "200 OK",
            headers: String::new(),
            body: body.into(),
        }
    }

    /// `status` with `body`.
    pub fn status(status: &'static str, body: impl Into<String>) -> Answer {
        Answer {
            status,
            headers: String::new(),
            body: body.into(),
        }
    }

    /// No answer: the request is read and the connection held for 10 s.
    pub fn stall() -> Answer {
        Answer::status(STALL, "")
    }
}

const STALL: &str = "stall";

/// A route: method and path, and its answers in turn.
pub type Route = ((&'static str, String), Vec<Answer>);

/// The routes of a tenant whose Graph and Jamf Pro hold the exports of
/// `folder` (`fixtures/device-chain/tenant`'s layout), with tokens for
/// `tenant` and Jamf Pro's token lasting `jamf_token_seconds`.
pub fn tenant_routes(
    folder: &std::path::Path,
    tenant: &str,
    jamf_token_seconds: u64,
) -> Vec<Route> {
    // One page each: a next link to Graph's real host is dropped.
    let read = |name: &str| {
        let text = std::fs::read_to_string(folder.join(name)).unwrap();
        let mut page: serde_json::Value = serde_json::from_str(&text).unwrap();
        if let Some(page) = page.as_object_mut() {
            page.remove("@odata.nextLink");
        }
        page.to_string()
    };
    vec![
        (
            ("POST", format!("/{tenant}/oauth2/v2.0/token")),
            vec![Answer::ok(
                r#"{"token_type":"Bearer","expires_in":3599,"access_token":"graph-token"}"#,
            )],
        ),
        (
            ("GET", "/v1.0/auditLogs/signIns".to_string()),
            vec![Answer::ok(read("signins.json"))],
        ),
        (
            (
                "GET",
                "/v1.0/identity/conditionalAccess/policies".to_string(),
            ),
            vec![Answer::ok(r#"{"value":[]}"#)],
        ),
        (
            ("GET", "/v1.0/devices".to_string()),
            vec![Answer::ok(read("entra-devices.json"))],
        ),
        (
            (
                "GET",
                "/beta/directory/deletedItems/microsoft.graph.device".to_string(),
            ),
            vec![Answer::ok(read("entra-deleted-devices.json"))],
        ),
        (
            ("GET", "/v1.0/deviceManagement/managedDevices".to_string()),
            vec![Answer::ok(read("intune-managed-devices.json"))],
        ),
        (
            ("POST", "/api/oauth/token".to_string()),
            vec![Answer::ok(format!(
                r#"{{"access_token":"jamf-token","token_type":"Bearer","scope":"api-role:1","expires_in":{jamf_token_seconds}}}"#
            ))],
        ),
        (
            ("GET", "/api/v4/computers-inventory".to_string()),
            vec![Answer::ok(read("jamf-inventory.json"))],
        ),
        (
            (
                "GET",
                "/api/v1/conditional-access/device-compliance-information/computer/12".to_string(),
            ),
            vec![Answer::ok(read("jamf-compliance/12.json"))],
        ),
    ]
}

/// The server: its base URL and every request it saw (method, path with
/// query, headers and body, as text).
pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<String>>>,
}

/// Starts a server whose routes answer `(method, path)` with their answers
/// in turn, the last one for good; `{base}` in a body is the server's URL.
pub fn start(routes: Vec<Route>) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let url = base.clone();
    let mut routes: HashMap<(String, String), (Vec<Answer>, usize)> = routes
        .into_iter()
        .map(|((method, path), answers)| ((method.to_string(), path), (answers, 0)))
        .collect();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                request.push_str(&line);
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            request.push_str(&String::from_utf8_lossy(&body));
            let mut words = request.split_whitespace();
            let method = words.next().unwrap_or_default().to_string();
            let target = words.next().unwrap_or_default();
            let path = target.split('?').next().unwrap_or_default().to_string();
            log.lock().unwrap().push(request.clone());
            let answer = match routes.get_mut(&(method, path)) {
                Some((answers, used)) => {
                    let answer = answers[(*used).min(answers.len() - 1)].clone();
                    *used += 1;
                    answer
                }
                None => Answer {
                    status: "404 Not Found",
                    headers: String::new(),
                    body:
                        r#"{"error":{"code":"Request_ResourceNotFound","message":"no such route"}}"#
                            .to_string(),
                },
            };
            if answer.status == STALL {
                std::thread::spawn(move || {
                    std::thread::sleep(std::time::Duration::from_secs(10));
                    drop(stream);
                });
                continue;
            }
            let body = answer.body.replace("{base}", &url);
            let _ = stream.write_all(
                format!(
                    "HTTP/1.1 {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{}\r\n{body}",
                    answer.status,
                    body.len(),
                    answer.headers
                )
                .as_bytes(),
            );
        }
    });
    Server { base, seen }
}
