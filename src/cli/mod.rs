//! The command line: its flags ([`args`]), the values clap checks as it
//! parses ([`values`]), the Graph and Jamf Pro connection flags
//! ([`connect`]) and the flags turned into requests, once
//! ([`requests`]). Commands take what they need from here.

mod args;
mod connect;
mod requests;
mod values;

pub(crate) use crate::util::usage::{UsageError, usage};
pub(crate) use args::*;
