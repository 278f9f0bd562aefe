//! Sign-in exports in CSV: the admin center's downloads
//! (`InteractiveSignIns_*.csv`, `NonInteractiveSignIns_*.csv`) and Log
//! Analytics query results. Each row becomes a record keyed by its header,
//! read by the same field lookup as JSON. Header quirks do not matter: a
//! trailing space (`Application ID `), a double space, a `[UTC]` suffix; a
//! repeated header (`Incoming token type` twice) keeps its first column.

use super::record::{Node, normal};
use std::borrow::Cow;
use std::io::Read;

/// Calls `record` with every row of `input` as a record; returns the rows
/// that could not be read (a quoting error), which are skipped.
pub(crate) fn for_each_record(
    input: impl Read,
    record: &mut dyn FnMut(Node<'_>),
) -> Result<u64, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    // Headers in normal form: spaces, brackets and case do not matter.
    let headers: Vec<String> = reader.headers()?.iter().map(normal).collect();
    let mut skipped = 0;
    for row in reader.records() {
        let Ok(row) = row else {
            skipped += 1;
            continue;
        };
        let mut fields: Vec<(Cow<str>, Node)> = Vec::with_capacity(headers.len());
        for (header, value) in headers.iter().zip(row.iter()) {
            if value.is_empty() || fields.iter().any(|(key, _)| key == header) {
                continue;
            }
            fields.push((Cow::Borrowed(header), Node::Text(Cow::Borrowed(value))));
        }
        record(Node::Object(fields));
    }
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entra::signins::record::SignIn;

    fn owned_fields(row: &Node) -> Vec<(Cow<'static, str>, Node<'static>)> {
        let Node::Object(fields) = row else {
            return Vec::new();
        };
        fields
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    Node::Text(text) => Node::Text(Cow::Owned(text.to_string())),
                    _ => Node::Null,
                };
                (Cow::Owned(key.to_string()), value)
            })
            .collect()
    }

    fn field<'n>(row: &'n Node, key: &str) -> Option<&'n str> {
        let Node::Object(fields) = row else {
            return None;
        };
        fields.iter().find_map(|(k, v)| match v {
            Node::Text(text) if k == key => Some(text.as_ref()),
            _ => None,
        })
    }

    #[test]
    fn admin_center_headers_with_their_quirks() {
        let text = "\u{feff}Date (UTC),Request ID,Correlation ID,User,Username,Application,Application ID ,Status,Sign-in error code,Failure reason,Incoming token type,Incoming token type,Autonomous system  number,Compliant\n\
2026-11-19T15:00:00Z,r1,abc-1,Jane Doe,jane@contoso.com,Jamf Connect,A1,Failure,50076,MFA required,none,primaryRefreshToken,8075,False\n";
        let mut rows = Vec::new();
        let skipped = for_each_record(
            crate::entra::decode::utf8_reader(text.as_bytes()),
            &mut |row| rows.push(Node::Object(owned_fields(&row))),
        )
        .unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(
            field(&rows[0], "incomingtokentype"),
            Some("none"),
            "first column wins"
        );
        assert_eq!(field(&rows[0], "autonomoussystemnumber"), Some("8075"));
        let sign_in = SignIn::from_node(&rows[0]).unwrap();
        assert_eq!(sign_in.app_id.as_deref(), Some("A1"));
        assert_eq!(sign_in.error_code, Some(50076));
        assert_eq!(sign_in.upn.as_deref(), Some("jane@contoso.com"));
        assert_eq!(sign_in.device_compliant, Some(false));
        assert_eq!(
            sign_in.time.unwrap().to_rfc3339(),
            "2026-11-19T15:00:00+00:00"
        );
    }
}
