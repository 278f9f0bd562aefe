//! Jamf Pro's buildings and departments (`GET /api/v1/buildings`,
//! `GET /api/v1/departments`): the names of the IDs the inventory gives
//! each computer, read through the shared record readers like every other
//! export (a page of `results`, a bare array, or CSV).

use crate::tenant::exports::records::node::{Fields, Node};
use crate::tenant::exports::records::{
    ExportForm, FileRead, Shape, fields_read, read_file, whole_fields,
};
use std::path::Path;

/// How a list of places is named in the input list.
pub(crate) const PLACES_INPUT: &str = "Jamf Pro buildings or departments";

/// One building or department: its ID and its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    /// Jamf Pro's ID (a number, written as text).
    pub(crate) id: Box<str>,
    /// Its name.
    pub(crate) name: Box<str>,
}

fields_read!(
    field_read,
    FIELDS_READ:
    "id",
    "name",
);

/// The fields a place is read from.
pub(crate) static PLACE: Shape = Shape {
    record: "Jamf Pro building or department",
    lookup: field_read,
    nested: whole_fields,
    form: ExportForm::JSON_OR_CSV,
};

impl Place {
    /// The place of one record; `None` without an ID or a name.
    pub(crate) fn from_node(record: &Node) -> Option<Place> {
        let Node::Object(fields) = record else {
            return None;
        };
        let fields = Fields(fields);
        Some(Place {
            id: fields.text(&["id"])?.into_boxed_str(),
            name: fields.text(&["name"])?.into_boxed_str(),
        })
    }
}

/// Reads the buildings or departments at `path`, calling `each` with every
/// place.
pub(crate) fn read_places(path: &Path, each: &mut dyn FnMut(&Place)) -> FileRead {
    read_file(
        path,
        PLACES_INPUT,
        &PLACE,
        |node| Place::from_node(&node),
        each,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_numbers_or_text_and_places_without_a_name_left_out() {
        let text = r#"{"totalCount":3,"results":[{"id":"1","name":"Apple Park"},{"id":2,"name":"Cupertino"},{"id":"3"}]}"#;
        let (places, read) = crate::tenant::exports::records::read_text(text, read_places);
        let pairs: Vec<(&str, &str)> = places.iter().map(|p| (&*p.id, &*p.name)).collect();
        assert_eq!(pairs, [("1", "Apple Park"), ("2", "Cupertino")]);
        assert_eq!(read.records, 2);
    }
}
