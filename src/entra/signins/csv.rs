//! Sign-in exports in CSV: the admin center's downloads
//! (`InteractiveSignIns_*.csv`, `NonInteractiveSignIns_*.csv`) and Log
//! Analytics query results. Each row becomes a record keyed by its header,
//! read by the same field lookup as JSON. Header quirks do not matter: a
//! trailing space (`Application ID `), a double space, a `[UTC]` suffix; a
//! repeated header (`Incoming token type` twice) keeps its first column.

use serde_json::{Map, Value};
use std::io::Read;

/// Calls `record` with every row of `input` as a record; returns the rows
/// that could not be read (a quoting error), which are skipped.
pub(crate) fn for_each_record(
    input: impl Read,
    record: &mut dyn FnMut(Value),
) -> Result<u64, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(input);
    let headers: Vec<String> = reader
        .headers()?
        .iter()
        .map(|h| h.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    let mut skipped = 0;
    for row in reader.records() {
        let Ok(row) = row else {
            skipped += 1;
            continue;
        };
        let mut object = Map::new();
        for (header, value) in headers.iter().zip(row.iter()) {
            if value.is_empty() || object.contains_key(header) {
                continue;
            }
            object.insert(header.clone(), Value::String(value.to_string()));
        }
        record(Value::Object(object));
    }
    Ok(skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entra::signins::record::SignIn;

    #[test]
    fn admin_center_headers_with_their_quirks() {
        let text = "\u{feff}Date (UTC),Request ID,Correlation ID,User,Username,Application,Application ID ,Status,Sign-in error code,Failure reason,Incoming token type,Incoming token type,Autonomous system  number,Compliant\n\
2026-11-19T15:00:00Z,r1,abc-1,Jane Doe,jane@contoso.com,Jamf Connect,A1,Failure,50076,MFA required,none,primaryRefreshToken,8075,False\n";
        let mut rows = Vec::new();
        let skipped = for_each_record(
            crate::entra::decode::utf8_reader(text.as_bytes()),
            &mut |v| rows.push(v),
        )
        .unwrap();
        assert_eq!(skipped, 0);
        assert_eq!(rows[0]["Incoming token type"], "none", "first column wins");
        assert_eq!(rows[0]["Autonomous system number"], "8075");
        let sign_in = SignIn::from_value(&rows[0]).unwrap();
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
