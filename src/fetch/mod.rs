//! Fetching the tenant's evidence live (Microsoft Graph, the Jamf Pro API)
//! into the export formats `--tenant` reads, so that a fetched analysis and
//! an offline one are the same code from the files on. This module holds
//! the one HTTP client ([`http`]).

pub(crate) mod http;
