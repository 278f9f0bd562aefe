//! The fleet view: every Mac of Jamf Pro's inventory with the status its
//! ca-doctor extension attribute reported, its accounts' Entra state as
//! Jamf Pro recorded it, and (with the tenant's device records) where its
//! device chain breaks; counted by status, cause, macOS and Jamf versions,
//! place and age, and compared with earlier runs.
//!
//! [`reader`] turns inventory records into [`FleetMac`]s ([`model`]) as they stream
//! (only the extension attributes that can be ca-doctor's are kept),
//! [`tenant`] joins Entra's records, [`summary`] counts, [`history`] keeps
//! the snapshots.

pub(crate) mod history;
pub(crate) mod model;
pub(crate) mod reader;
pub(crate) mod summary;
pub(crate) mod tenant;

pub(crate) use model::*;
