//! Fetching the tenant's evidence live (Microsoft Graph, the Jamf Pro API)
//! into the export formats `--tenant` reads, so that a fetched analysis and
//! an offline one are the same code from the files on: one HTTP client
//! ([`http`]), Graph's token and pages ([`graph`]), Jamf Pro's API
//! ([`jamf`]), what a fetch asks for and wrote down ([`plan`],
//! `fetch.json`), the run itself ([`run`]) and `--fetch`'s private folder
//! ([`live`]).

pub(crate) mod assertion;
pub(crate) mod graph;
pub(crate) mod http;
pub(crate) mod jamf;
pub(crate) mod live;
pub(crate) mod plan;
pub(crate) mod progress;
pub(crate) mod run;
#[cfg(test)]
pub(crate) mod testing;

pub(crate) use plan::*;
pub(crate) use run::fetch;
