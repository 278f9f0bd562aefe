//! A tick (the log entries since the cursor folded into the saved state)
//! and the attribute's answer from that state when it is fresh, else from a
//! bounded live read that rebuilds it.

use super::state;
use crate::evidence::facts::LogTotals;
use crate::evidence::store::{EvidenceStore, StoredEvidence};
use crate::inputs::{InputRecord, InputState, LOG_INPUT};
use crate::mac::accounts::{Account, ChosenBy, UserSelection, console_user};
use crate::mac::user::UserName;
use crate::pipeline::logs::read_logs;
use crate::pipeline::request::{RegistrationPlan, Request};
use crate::pipeline::{analyze, report};
use crate::report::Report;
use anyhow::{Result, bail};
use chrono::Duration;
use state::{LogRecord, STATE_SCHEMA, STATE_VERSION, State, UserRecord};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How long a tick waits for another tick's lock.
pub(crate) const TICK_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// What a tick did.
#[derive(Debug)]
pub(crate) struct TickOutcome {
    /// The verdicts after the tick.
    pub(crate) report: Report,
    /// Entries read by this tick.
    pub(crate) entries_read: u64,
    /// Matched entries read by this tick.
    pub(crate) entries_matched: u64,
    /// Records the evidence gained (after pruning).
    pub(crate) records_added: i64,
    /// Why the previous state was not used, if it was not.
    pub(crate) state_note: Option<String>,
    /// The state file.
    pub(crate) state_path: PathBuf,
    /// The tick's clock.
    pub(crate) report_time: chrono::DateTime<chrono::FixedOffset>,
    /// Whether the state was written, or why not.
    pub(crate) written: anyhow::Result<()>,
}

/// Runs one tick: resume from the saved state (or start afresh when there is
/// none or it must be discarded), read the new log entries, save. The
/// verdicts carry `note` (why a saved state was not used by the EA that
/// asked for this tick) when the tick itself has nothing to say about the
/// state.
pub(crate) fn tick(
    request: &Request,
    state_path: &Path,
    lock_wait: std::time::Duration,
    note: Option<String>,
) -> Result<TickOutcome> {
    let lock = state::lock(state_path, lock_wait).map_err(|e| {
        anyhow::anyhow!("{}: cannot take the state lock: {e}", state_path.display())
    })?;
    let Some(_lock) = lock else {
        bail!(
            "{}: another ca-doctor tick holds the state lock",
            state_path.display()
        );
    };
    // Under the lock no one writes: what a killed writer left goes.
    state::sweep_temporaries(state_path);
    let window = request.window();
    let (mut store, previous_log, mut users, state_note) = match state::load(state_path) {
        Ok(Some(saved)) if saved.window_seconds == request.since.num_seconds() => {
            match saved.evidence.restore() {
                Ok(store) => (store, saved.log, saved.users, None),
                Err(e) => (
                    EvidenceStore::default(),
                    LogRecord::default(),
                    BTreeMap::new(),
                    Some(format!("state discarded: {e:#}")),
                ),
            }
        }
        Ok(Some(saved)) => (
            EvidenceStore::default(),
            LogRecord::default(),
            BTreeMap::new(),
            Some(format!(
                "state discarded: its window is {} s, this run's {} s",
                saved.window_seconds,
                request.since.num_seconds()
            )),
        ),
        Ok(None) => (
            EvidenceStore::default(),
            LogRecord::default(),
            BTreeMap::new(),
            None,
        ),
        Err(reason) => (
            EvidenceStore::default(),
            LogRecord::default(),
            BTreeMap::new(),
            Some(format!("state discarded: {reason}")),
        ),
    };
    let state_note = state_note.or(note);
    store.prune(&window);
    let before = store.len() as i64;
    let totals = read_logs(request, &mut store, &window, true, None)?;
    let accounts = tick_accounts(request)?;
    let report = report(
        request,
        &store,
        &totals,
        &accounts,
        request.registration_plan(),
        state_note.as_deref(),
    )?;
    for verdict in &report.verdicts {
        users.insert(
            verdict.facts.user().to_string(),
            UserRecord {
                status: verdict.status.token().to_string(),
                primary_cause: verdict.primary_cause.map(|id| id.as_str().to_string()),
                registration: verdict.facts.registration.clone(),
                home: Some(verdict.facts.account.home.display().to_string()),
            },
        );
    }
    let log = LogRecord {
        source: totals.source.clone(),
        last_entries_read: totals.entries,
        entries_read_total: previous_log
            .entries_read_total
            .saturating_add(totals.entries),
        entries_matched_total: previous_log
            .entries_matched_total
            .saturating_add(totals.matched),
        styles: totals.styles.clone(),
        problems: totals.problems.clone(),
    };
    let saved = State {
        schema: STATE_SCHEMA.to_string(),
        version: STATE_VERSION,
        written_at: request.now,
        window_seconds: request.since.num_seconds(),
        evidence: StoredEvidence::from(&store),
        log,
        users,
    };
    let written = state::save(state_path, &saved)
        .map_err(|e| anyhow::anyhow!("{}: {e}", state_path.display()));
    Ok(TickOutcome {
        report,
        entries_read: totals.entries,
        entries_matched: totals.matched,
        records_added: store.len() as i64 - before,
        state_note,
        state_path: state_path.to_path_buf(),
        report_time: request.now,
        written,
    })
}

/// A tick analyses the named user, or else every user with the agent's
/// preferences plus the console user.
fn tick_accounts(request: &Request) -> Result<Vec<Account>> {
    let directory = request.directory();
    match &request.users {
        UserSelection::Named(_)
        | UserSelection::All
        | UserSelection::List(_)
        | UserSelection::Unknown => directory.resolve(&request.users),
        UserSelection::Console => {
            let mut all = directory.resolve(&UserSelection::All).unwrap_or_default();
            if let Ok(console) = directory.resolve(&UserSelection::Console) {
                for account in console {
                    if !all.iter().any(|a| a.name == account.name) {
                        all.push(account);
                    }
                }
            }
            Ok(all)
        }
    }
}

/// Answers from the saved state when it is fresh (`max_age`); otherwise
/// runs a bounded live tick that rebuilds it, or, when the state cannot be
/// written or locked, a plain live analysis. Never fails for state reasons.
pub(crate) fn answer(request: &Request, state_path: &Path, max_age: Duration) -> Result<Report> {
    let reason = match state::load(state_path) {
        Ok(Some(saved)) => match freshness(&saved, request, max_age) {
            Ok(()) => match from_state(request, &saved) {
                Ok(report) => return Ok(report),
                Err(e) => format!("state not usable: {e:#}"),
            },
            Err(reason) => format!("{reason:#}"),
        },
        Ok(None) => "no saved state yet".to_string(),
        Err(reason) => format!("state discarded: {reason}"),
    };
    match tick(
        request,
        state_path,
        std::time::Duration::ZERO,
        Some(reason.clone()),
    ) {
        Ok(outcome) => Ok(outcome.report),
        Err(_) => analyze(request, Some(&reason)),
    }
}

fn freshness(saved: &State, request: &Request, max_age: Duration) -> anyhow::Result<()> {
    let age = request.now.signed_duration_since(saved.written_at);
    if age < Duration::zero() {
        return Err(anyhow::anyhow!(
            "state was written after the analysis clock ({})",
            saved.written_at.to_rfc3339()
        ));
    }
    if age > max_age {
        return Err(anyhow::anyhow!(
            "state is {} min old (limit {} min)",
            age.num_minutes(),
            max_age.num_minutes()
        ));
    }
    if saved.window_seconds != request.since.num_seconds() {
        return Err(anyhow::anyhow!(
            "state window is {} s, this run's {} s",
            saved.window_seconds,
            request.since.num_seconds()
        ));
    }
    Ok(())
}

/// Verdicts from the saved evidence, fresh preferences and the stored
/// registration evidence: no `log show`, no registration commands.
fn from_state(request: &Request, saved: &State) -> Result<Report> {
    let store = saved.evidence.restore()?;
    let totals = LogTotals {
        source: "state".to_string(),
        problems: saved.log.problems.clone(),
        entries: saved.log.entries_read_total,
        matched: saved.log.entries_matched_total,
        bytes: 0,
        styles: saved.log.styles.clone(),
        inputs: vec![InputRecord {
            what: LOG_INPUT.to_string(),
            path: format!("state written {}", saved.written_at.to_rfc3339()),
            state: InputState::Read,
            reason: None,
        }],
        ..LogTotals::default()
    };
    let accounts = state_accounts(request, saved)?;
    let registrations: BTreeMap<String, _> = saved
        .users
        .iter()
        .filter_map(|(user, record)| Some((user.clone(), record.registration.clone()?)))
        .collect();
    report(
        request,
        &store,
        &totals,
        &accounts,
        RegistrationPlan::Stored(&registrations),
        None,
    )
}

/// Accounts for an answer from state: a home the tick stored saves a
/// directory-service call.
fn state_accounts(request: &Request, saved: &State) -> Result<Vec<Account>> {
    let stored = |user: &UserName, chosen_by| {
        saved
            .users
            .get(user.as_str())
            .and_then(|record| record.home.clone())
            .map(|home| Account {
                home: PathBuf::from(home),
                ..Account::assumed(user.clone(), chosen_by, "saved state")
            })
    };
    let directory = request.directory();
    match &request.users {
        UserSelection::Named(user) => {
            if let Some(account) = stored(user, ChosenBy::Flag) {
                return Ok(vec![account]);
            }
        }
        UserSelection::Console => {
            if let Ok((user, how)) = console_user(&request.runner, &request.paths) {
                return Ok(match stored(&user, how) {
                    Some(account) => vec![account],
                    None => vec![directory.account(&user, how)],
                });
            }
        }
        _ => {}
    }
    directory.resolve(&request.users)
}
