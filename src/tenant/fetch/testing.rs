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
        ..Limits::default()
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
