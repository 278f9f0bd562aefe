//! Evidence, independent of where it was read: log events folded into
//! records ([`store`]) and observations ([`observations`]), the facts of one
//! user ([`facts`]) with the Mac's device identity ([`device`]) and the
//! device chain the tenant's records show ([`chain`]), the compliance path
//! and the account's state on it ([`path`]), and the timeline of the window
//! ([`timeline`]).

pub(crate) mod chain;
pub(crate) mod device;
pub(crate) mod facts;
pub(crate) mod observations;
pub(crate) mod path;
pub(crate) mod policies;
pub(crate) mod signins;
pub(crate) mod store;
pub(crate) mod timeline;
