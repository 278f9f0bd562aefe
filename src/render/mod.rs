//! Renderers: one view model ([`view`]) of any report (a Mac's, the
//! tenant's, a tick's, the fleet's), printed for a person at a terminal
//! ([`human`]), a program ([`json`]), a browser ([`html`]) or a
//! spreadsheet (the fleet's CSV, [`fleet`]). Commands print through
//! [`print`]; bundles write their reports with [`render_file`].

pub(crate) mod fleet;
mod format;
pub(crate) mod html;
pub(crate) mod human;
pub(crate) mod json;
mod output;
pub(crate) mod rows;
pub(crate) mod timeline;
pub(crate) mod view;

pub(crate) use format::Format;
pub(crate) use output::{print, render_file};
pub(crate) use view::Printable;
