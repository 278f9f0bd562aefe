//! The columns of a Jamf Pro Advanced Computer Search export, by label: what
//! the search reader fills from them, and what tells such a file from its
//! header (the kind table asks).

/// The field a column fills, by its label in normal form (Jamf Pro's
/// labels vary a little by version); any other column is an extension
/// attribute.
pub(crate) fn column_read(normal_label: &str) -> Option<&'static str> {
    Some(match normal_label {
        "jamfprocomputerid" | "jsscomputerid" | "computerid" | "id" => "id",
        "computername" | "name" | "displayname" => "name",
        "serialnumber" | "serial" => "serial",
        "operatingsystemversion" | "macosversion" | "osversion" => "os",
        "jamfversion" | "jamfbinaryversion" => "jamfversion",
        "lastinventoryupdate" | "reportdate" | "lastinventory" => "report",
        "lastcheckin" | "lastcontacttime" | "lastcontact" => "contact",
        "building" => "building",
        "department" => "department",
        "emailaddress" | "email" => "email",
        _ => return None,
    })
}

/// Whether a CSV header's labels (normal form) are a computer search's:
/// a column that names the computer by a label only Jamf Pro uses, or one
/// that names it (`Name`, `ID`) beside another column a search has (a
/// log line with `, name,` in it is no search).
pub(crate) fn is_search_header<'a>(labels: impl Iterator<Item = &'a str>) -> bool {
    let mut names = false;
    let mut specific = false;
    let mut other = false;
    for label in labels {
        match column_read(label) {
            Some("id" | "name") => {
                names = true;
                specific |= !matches!(label, "id" | "name" | "displayname");
            }
            Some(_) => other = true,
            None => {}
        }
    }
    names && (specific || other)
}
