//! `ca-doctor kql`: prints the KQL a question needs, for the Logs blade of
//! a Log Analytics workspace or a Microsoft Sentinel hunting query.

use super::shared::fail;
use crate::cli::{Exit, KqlArgs};

/// Runs `kql`.
pub(crate) fn run(args: &KqlArgs) -> Exit {
    match args.query() {
        Ok(query) => {
            println!("{query}");
            Exit::Ok
        }
        Err(error) => fail(&error),
    }
}
