//! Renderers: the same verdict printed for a person at a terminal, for a
//! program (JSON), or for Jamf Pro (an extension-attribute result).

pub mod ea;
pub mod html;
pub mod human;
pub mod json;
