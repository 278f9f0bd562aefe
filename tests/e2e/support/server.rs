//! A loopback server that answers like Microsoft Graph and Entra ID's token
//! endpoint, from routes: each request's method and path (query aside) is
//! looked up, and a route may answer differently the first times it is
//! asked (a 429, a 503) before its steady answer.

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
}

/// The server: its base URL and every request it saw (method, path with
/// query, headers and body, as text).
pub struct Server {
    pub base: String,
    pub seen: Arc<Mutex<Vec<String>>>,
}

/// Starts a server whose routes answer `(method, path)` with their answers
/// in turn, the last one for good; `{base}` in a body is the server's URL.
pub fn start(routes: Vec<((&'static str, String), Vec<Answer>)>) -> Server {
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
