//! The subcommands, kept thin: parse flags, run the analysis, render.

mod analyze;
mod check;
mod collect;
mod device;
mod dispatch;
mod ea;
mod fetch;
mod fleet;
mod kql;
mod policies;
mod shared;
mod signins;
mod tick;

pub(crate) use dispatch::dispatch;
