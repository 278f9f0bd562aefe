//! A loopback server for the fetch benchmark that answers like Microsoft
//! Graph: a token, then `PAGES` pages of `PER_PAGE` sign-ins each (made
//! before it listens, so that serving costs little), each page linking the
//! next, and an empty list of policies.
//!
//! `graph_server PAGES PER_PAGE` prints its URL on the first line of
//! standard output and serves until killed.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

#[path = "support/lcg.rs"]
mod lcg;
#[path = "support/signin.rs"]
mod signin;

fn main() -> std::io::Result<()> {
    let mut args = std::env::args()
        .skip(1)
        .map(|a| a.parse::<u64>().unwrap_or(0));
    let pages = args.next().unwrap_or(200).max(1);
    let per_page = args.next().unwrap_or(1000).max(1);
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let base = format!("http://{}", listener.local_addr()?);
    let mut rng = lcg::Lcg(7);
    let bodies: Vec<Vec<u8>> = (0..pages)
        .map(|page| {
            let records: Vec<String> = (0..per_page)
                .map(|i| signin::record(&mut rng, page * per_page + i))
                .collect();
            let next = if page + 1 < pages {
                format!(r#","@odata.nextLink":"{base}/v1.0/auditLogs/signIns/page/{}""#, page + 1)
            } else {
                String::new()
            };
            format!(
                r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":[{}]{next}}}"#,
                records.join(",")
            )
            .into_bytes()
        })
        .collect();
    let bodies = Arc::new(bodies);
    println!("{base}");
    std::io::stdout().flush()?;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let bodies = Arc::clone(&bodies);
        std::thread::spawn(move || answer(stream, &bodies));
    }
    Ok(())
}

/// Answers one request.
fn answer(mut stream: std::net::TcpStream, bodies: &[Vec<u8>]) {
    let Ok(clone) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(clone);
    let mut first = String::new();
    let mut length = 0usize;
    let mut line = String::new();
    if reader.read_line(&mut first).unwrap_or(0) == 0 {
        return;
    }
    loop {
        line.clear();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let target = first.split_whitespace().nth(1).unwrap_or_default();
    let path = target.split('?').next().unwrap_or_default();
    let reply: Vec<u8> = if path.ends_with("/oauth2/v2.0/token") {
        br#"{"token_type":"Bearer","expires_in":3599,"access_token":"bench-token"}"#.to_vec()
    } else if path == "/v1.0/auditLogs/signIns" {
        bodies[0].clone()
    } else if let Some(page) = path.strip_prefix("/v1.0/auditLogs/signIns/page/") {
        let page: usize = page.parse().unwrap_or(usize::MAX);
        bodies
            .get(page)
            .cloned()
            .unwrap_or_else(|| b"{\"value\":[]}".to_vec())
    } else {
        b"{\"value\":[]}".to_vec()
    };
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        reply.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&reply);
}
