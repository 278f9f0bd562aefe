//! The Jamf Pro source family: what the Jamf Pro server records of each
//! Mac, read from its API's responses saved as files (or fetched live):
//! the device-compliance information it sends to Microsoft
//! ([`compliance`]) and the computer inventory ([`inventory`]), whose local
//! user accounts carry the Entra device ID the agent reported, or an
//! Advanced Computer Search exported as CSV ([`search_export`], its
//! columns by label in [`search_columns`]), and the
//! names of its buildings and departments ([`places`]).

pub(crate) mod compliance;
pub(crate) mod inventory;
pub(crate) mod places;
pub(crate) mod search_columns;
pub(crate) mod search_export;
