//! Entra sign-in exports, read by the shared record readers
//! ([`crate::tenant::exports::records`]) as [`SignIn`]s.

pub(crate) mod outcome;
mod read;
pub(crate) mod record;

pub(crate) use read::read_file;
