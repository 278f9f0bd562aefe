//! ca-doctor: why a Mac's Jamf Conditional Access / Device Compliance
//! registration with Microsoft Entra ID is failing, and what to do about it.
//!
//! The pipeline: [`sources`] and [`log`] read a Mac's files and unified log,
//! [`observations`] folds log events into evidence, [`detectors`] turn evidence
//! and facts into findings, [`verdict`] decides the status, and [`render`]
//! prints it for a person, a program or Jamf Pro.

pub mod analysis;
pub mod bundle;
pub mod cli;
pub mod commands;
pub mod detectors;
pub mod evidence;
pub mod facts;
pub mod incremental;
pub mod log;
pub mod observations;
pub mod redact;
pub mod render;
pub mod sources;
pub mod state;
pub mod timeline;
pub mod timeutil;
pub mod verdict;
pub mod version;
