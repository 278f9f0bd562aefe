//! Exports in JSON, streamed record by record so that memory stays flat
//! whatever the file's size: a Graph response (`{"value": [...]}`, v1.0 or
//! beta), a Jamf Pro page (`{"totalCount": n, "results": [...]}`), a bare
//! array (the admin center, PowerShell, Log Analytics), a single record,
//! and several of these one after another (pages saved one per line, or
//! concatenated).

mod framer;
mod pipeline;
mod stream;
mod visit;

pub(crate) use stream::for_each_record;
