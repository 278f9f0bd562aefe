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

/// Whether a column (its label in normal form) names the computer: a
/// search export has one.
pub(crate) fn names_a_computer(normal_label: &str) -> bool {
    matches!(column_read(normal_label), Some("id" | "name"))
}
