//! An Advanced Computer Search exported from Jamf Pro as CSV: one row per
//! computer, its display fields as columns (names as Jamf Pro labels them,
//! which vary a little by version) and each extension attribute as a column
//! named after it. Read by the record reader into the same
//! [`JamfComputer`] as the API's inventory, without local accounts (a
//! search does not export them).

use super::inventory::JamfComputer;
use super::search_columns::column_read;
use crate::tenant::exports::records::node::{Fields, Node, parse_time};
use crate::tenant::exports::records::{ExportForm, Shape, read_file};
use std::path::Path;

/// How a search row is read: its columns by label, a computer ID or name
/// column required, every other column kept as an extension attribute.
static SEARCH_ROW: Shape = Shape {
    record: "Jamf Pro computer search",
    lookup: column_read,
    nested: crate::tenant::exports::records::whole_fields,
    form: ExportForm {
        key_columns: &["id", "name"],
        other_columns: Some("attributes"),
        ..ExportForm::JSON_OR_CSV
    },
};

/// Why a file is no search export.
const NOT_A_SEARCH: &str =
    "not a Jamf Pro computer search export (no Computer Name or Jamf Pro Computer ID column)";

/// What a search export gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct SearchRead {
    /// Computers read.
    pub(crate) records: u64,
    /// Rows without a computer ID or name.
    pub(crate) skipped: u64,
}

impl JamfComputer {
    /// The computer of a search row; `None` without an ID or a name (a
    /// search without the ID column names computers by name).
    fn from_search_row(row: &Node) -> Option<JamfComputer> {
        let Node::Object(fields) = row else {
            return None;
        };
        let fields = Fields(fields);
        let text = |name: &str| fields.text(&[name]).unwrap_or_default().into_boxed_str();
        let time = |name: &str| fields.text(&[name]).and_then(|t| parse_time(&t));
        let name = text("name");
        let id = fields
            .text(&["id"])
            .map(String::into_boxed_str)
            .unwrap_or_else(|| name.clone());
        if id.is_empty() {
            return None;
        }
        let attributes = fields
            .array(&["attributes"])
            .iter()
            .filter_map(|attribute| {
                let Node::Object(pair) = attribute else {
                    return None;
                };
                let pair = Fields(pair);
                Some((
                    pair.text(&["name"])?.into_boxed_str(),
                    pair.text(&["value"])?.into_boxed_str(),
                ))
            })
            .collect();
        Some(JamfComputer {
            id,
            name,
            serial: text("serial"),
            report_date: time("report"),
            last_contact: time("contact"),
            email: text("email"),
            os_version: text("os"),
            jamf_version: text("jamfversion"),
            building: text("building"),
            department: text("department"),
            accounts: Vec::new(),
            extension_attributes: attributes,
        })
    }
}

/// Reads the search export at `path`, calling `each` with every computer;
/// fails (one line naming the file) when it cannot be read or is no
/// computer search (no name or ID column).
pub(crate) fn read_search_export(
    path: &Path,
    each: &mut dyn FnMut(&JamfComputer),
) -> anyhow::Result<SearchRead> {
    let read = read_file(
        path,
        "Jamf Pro computer search",
        &SEARCH_ROW,
        |row| JamfComputer::from_search_row(&row),
        each,
    );
    let unreadable = read.input.as_ref().and_then(|input| input.reason.clone());
    let named = |why: &str| anyhow::anyhow!("{}: {why}", path.display());
    if read.empty || (read.refused && !read.missing) {
        return Err(named(NOT_A_SEARCH));
    }
    if let Some(why) = unreadable {
        return Err(named(&why));
    }
    Ok(SearchRead {
        records: read.records,
        skipped: read.skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_export_s_fields_and_extension_attributes() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("search.csv");
        std::fs::write(
            &path,
            "\u{feff}Computer Name,Jamf Pro Computer ID,Serial Number,Operating System Version,Last Inventory Update,Last Check-in,Building,Department,CA Doctor: status,Battery health\n\
             Jane's MacBook,12,C02XK1JHJG5H,15.1.1,2026-11-16 08:00:00,11/20/2026 at 7:00 AM,HQ,Finance,\"at-risk: appsso-not-appsso-url, silent-auth-failed\",Normal\n\
             ,,,,,,,,,\n\
             Lab iMac,13,D25ZT0ABCD12,14.7,,,,,,\n",
        )
        .unwrap();
        let mut computers = Vec::new();
        let read = read_search_export(&path, &mut |c| computers.push(c.clone())).unwrap();
        assert_eq!(
            read,
            SearchRead {
                records: 2,
                skipped: 1
            }
        );
        let jane = &computers[0];
        assert_eq!(
            (&*jane.id, &*jane.name, &*jane.os_version),
            ("12", "Jane's MacBook", "15.1.1")
        );
        assert_eq!((&*jane.building, &*jane.department), ("HQ", "Finance"));
        assert_eq!(
            jane.report_date.unwrap().to_rfc3339(),
            "2026-11-16T08:00:00+00:00"
        );
        assert_eq!(
            jane.last_contact.unwrap().to_rfc3339(),
            "2026-11-20T07:00:00+00:00"
        );
        assert_eq!(
            jane.extension_attributes,
            [
                (
                    "CA Doctor: status".into(),
                    "at-risk: appsso-not-appsso-url, silent-auth-failed".into()
                ),
                ("Battery health".into(), "Normal".into())
            ]
        );
        assert!(computers[1].extension_attributes.is_empty());
        std::fs::write(&path, "a,b\n1,2\n").unwrap();
        let error = read_search_export(&path, &mut |_| {})
            .unwrap_err()
            .to_string();
        assert!(error.ends_with("not a Jamf Pro computer search export (no Computer Name or Jamf Pro Computer ID column)"), "{error}");
        // A serial number alone names no computer; a name alone is its ID.
        std::fs::write(&path, "Serial Number,Battery health\nC02,Normal\n").unwrap();
        assert!(read_search_export(&path, &mut |_| {}).is_err());
        std::fs::write(&path, "Name,Battery health\nLab iMac,Normal\n").unwrap();
        let mut ids = Vec::new();
        read_search_export(&path, &mut |c| ids.push(c.id.clone())).unwrap();
        assert_eq!(ids, ["Lab iMac".into()]);
    }
}
