//! Reading the files admins export from the services around a Mac (Entra
//! ID, Intune, Jamf Pro): their text decoded whatever the encoding
//! ([`decode`]) and their records streamed in JSON or CSV with only the
//! fields read ([`records`]). The source families above build their typed
//! records on it.

pub(crate) mod decode;
pub(crate) mod records;
