//! The incremental mode: `tick` folds only the log entries since its cursor
//! into the saved state; `ea` answers from that state when it is fresh, and
//! otherwise falls back to a bounded live read that rebuilds it.

pub(crate) mod state;
mod tick;

pub(crate) use tick::{TICK_LOCK_WAIT, TickOutcome, answer, tick};
