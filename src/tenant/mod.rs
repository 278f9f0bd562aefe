//! THE TENANT FAMILY: what the services around a Mac recorded of it (Entra
//! ID and Intune, Jamf Pro's server), from exported files or fetched live.
//! One kind table ([`kind`]) names every kind of record once: how a file of
//! it is recognised, where Graph or Jamf Pro serves it, the stem of its
//! fetched files; one set of keys ([`keys`]) says which records belong.
//! Beneath it: the record layer every reader stands on
//! ([`exports`]), a reader module per service ([`entra`], [`jamf_pro`]) and
//! the live clients ([`fetch`]), and the KQL asked of a Log Analytics
//! workspace ([`loganalytics`]).

pub(crate) mod entra;
pub(crate) mod exports;
pub(crate) mod fetch;
pub(crate) mod jamf_pro;
pub(crate) mod keys;
pub(crate) mod kind;
pub(crate) mod loganalytics;
pub(crate) mod sources;
