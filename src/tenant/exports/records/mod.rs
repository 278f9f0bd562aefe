//! Reading the records of the tenant's exports, whatever they describe
//! (sign-ins, devices, managed devices, Jamf Pro's records): every file is
//! decoded (UTF-16 or UTF-8), its format told from its first character
//! (`{` or `[`: JSON, a Log Analytics query answer among them; anything
//! else: CSV), and its records streamed one at a time, each built with only the fields its [`Shape`] reads.

pub(crate) mod answer;
pub(crate) mod csv;
pub(crate) mod json;
pub(crate) mod node;
mod read;
mod shape;

#[cfg(test)]
pub(crate) use read::read_text;
pub(crate) use read::{FileRead, Reader, read_file};
pub(crate) use shape::{ExportForm, Shape, fields_read, whole_fields};
