//! An Advanced Computer Search exported from Jamf Pro as CSV: one row per
//! computer, its display fields as columns (names as Jamf Pro labels them,
//! which vary a little by version) and each extension attribute as a column
//! named after it. Read into the same [`JamfComputer`] as the API's
//! inventory, without local accounts (a search does not export them).

use super::inventory::JamfComputer;
use crate::tenant::exports::decode::utf8_reader;
use crate::tenant::exports::records::node::parse_time;
use std::path::Path;

/// The columns read as fields, each with the labels it goes by.
const COLUMNS: [(Field, &[&str]); 10] = [
    (
        Field::Id,
        &[
            "jamf pro computer id",
            "jss computer id",
            "computer id",
            "id",
        ],
    ),
    (Field::Name, &["computer name", "name", "display name"]),
    (Field::Serial, &["serial number", "serial"]),
    (
        Field::Os,
        &["operating system version", "macos version", "os version"],
    ),
    (Field::JamfVersion, &["jamf version", "jamf binary version"]),
    (
        Field::Report,
        &["last inventory update", "report date", "last inventory"],
    ),
    (
        Field::Contact,
        &[
            "last check-in",
            "last check in",
            "last contact time",
            "last contact",
        ],
    ),
    (Field::Building, &["building"]),
    (Field::Department, &["department"]),
    (Field::Email, &["email address", "email"]),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Name,
    Serial,
    Os,
    JamfVersion,
    Report,
    Contact,
    Building,
    Department,
    Email,
}

/// What a search export gave.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct SearchRead {
    /// Computers read.
    pub(crate) records: u64,
    /// Rows without a computer ID or name.
    pub(crate) skipped: u64,
}

/// Reads the search export at `path`, calling `each` with every computer;
/// fails (one line naming the file) when it cannot be read or is no
/// computer search (no name or ID column).
pub(crate) fn read_search_export(
    path: &Path,
    each: &mut dyn FnMut(&JamfComputer),
) -> anyhow::Result<SearchRead> {
    let named = |why: String| anyhow::anyhow!("{}: {why}", path.display());
    let file = crate::util::files::open_regular(path)
        .map_err(|e| named(format!("cannot open: {e}")))?
        .ok_or_else(|| named("no such file".to_string()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(utf8_reader(file));
    let headers = reader
        .headers()
        .map_err(|e| named(format!("not a CSV file ({e})")))?
        .clone();
    let fields: Vec<Option<Field>> = headers
        .iter()
        .map(|header| {
            let header = header.trim().trim_start_matches('\u{feff}').to_lowercase();
            COLUMNS
                .iter()
                .find(|(_, labels)| labels.contains(&header.as_str()))
                .map(|(field, _)| *field)
        })
        .collect();
    if !fields
        .iter()
        .any(|f| matches!(f, Some(Field::Id | Field::Name)))
    {
        return Err(named(
            "not a Jamf Pro computer search export (no Computer Name or Jamf Pro Computer ID column)".to_string(),
        ));
    }
    let mut read = SearchRead::default();
    for row in reader.records() {
        let Ok(row) = row else {
            read.skipped += 1;
            continue;
        };
        let mut computer = empty_computer();
        for (index, value) in row.iter().enumerate() {
            let value = value.trim();
            let Some(header) = headers.get(index) else {
                continue;
            };
            match fields.get(index).copied().flatten() {
                Some(Field::Id) => computer.id = value.into(),
                Some(Field::Name) => computer.name = value.into(),
                Some(Field::Serial) => computer.serial = value.into(),
                Some(Field::Os) => computer.os_version = value.into(),
                Some(Field::JamfVersion) => computer.jamf_version = value.into(),
                Some(Field::Report) => computer.report_date = parse_time(value),
                Some(Field::Contact) => computer.last_contact = parse_time(value),
                Some(Field::Building) => computer.building = value.into(),
                Some(Field::Department) => computer.department = value.into(),
                Some(Field::Email) => computer.email = value.into(),
                None if !value.is_empty() => computer
                    .extension_attributes
                    .push((header.trim().into(), value.into())),
                None => {}
            }
        }
        if computer.id.is_empty() {
            // Searches without the ID column name computers by name.
            computer.id = computer.name.clone();
        }
        if computer.id.is_empty() {
            read.skipped += 1;
            continue;
        }
        read.records += 1;
        each(&computer);
    }
    Ok(read)
}

fn empty_computer() -> JamfComputer {
    JamfComputer {
        id: "".into(),
        name: "".into(),
        serial: "".into(),
        report_date: None,
        last_contact: None,
        email: "".into(),
        os_version: "".into(),
        jamf_version: "".into(),
        building: "".into(),
        department: "".into(),
        accounts: Vec::new(),
        extension_attributes: Vec::new(),
    }
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
    }
}
