//! The incremental mode: `tick` folds only the log entries since its cursor
//! into the saved state; `ea` answers from that state when it is fresh, and
//! otherwise falls back to a bounded live read that rebuilds it.

use crate::analysis::{
    ChosenAccount, RegistrationPlan, Report, Request, analyze_noted, read_logs, resolve_accounts,
    verdict_for,
};
use crate::evidence::{EvidenceStore, StoredEvidence};
use crate::facts::LogTotals;
use crate::render::ea::status_value;
use crate::sources::accounts::Account;
use crate::sources::user::UserName;
use crate::sources::{InputRecord, InputState};
use crate::state::{self, LogRecord, STATE_SCHEMA, STATE_VERSION, State, UserRecord};
use anyhow::{Result, bail};
use chrono::Duration;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How long a tick waits for another tick's lock.
pub const TICK_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// What a tick did.
#[derive(Debug)]
pub struct TickOutcome {
    /// The verdicts after the tick.
    pub report: Report,
    /// Entries read by this tick.
    pub entries_read: u64,
    /// Matched entries read by this tick.
    pub entries_matched: u64,
    /// Records the evidence gained (after pruning).
    pub records_added: i64,
    /// Why the previous state was not used, if it was not.
    pub state_note: Option<String>,
    /// The state file.
    pub state_path: PathBuf,
    /// Whether the state was written, or why not.
    pub written: Result<(), String>,
}

/// Runs one tick: resume from the saved state (or start afresh when there is
/// none or it must be discarded), read the new log entries, save.
pub fn tick(
    request: &Request,
    state_path: &Path,
    lock_wait: std::time::Duration,
) -> Result<TickOutcome> {
    tick_noted(request, state_path, lock_wait, None)
}

/// A tick whose verdicts carry `note` (why a saved state was not used) when
/// the tick itself has nothing to say about the state.
fn tick_noted(
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
    let totals = read_logs(request, &mut store, &window, true)?;
    let observations = store.observations(&window);
    let accounts = tick_accounts(request)?;
    let live = matches!(request.logs, crate::analysis::LogPlan::Live { .. });
    let mut verdicts = Vec::new();
    for chosen in &accounts {
        let plan = if live {
            RegistrationPlan::Check
        } else {
            RegistrationPlan::Skip
        };
        let verdict = verdict_for(
            request,
            chosen,
            &observations,
            &totals,
            plan,
            state_note.clone(),
        );
        users.insert(
            chosen.account.name.to_string(),
            UserRecord {
                status: verdict.status.token().to_string(),
                primary_cause: verdict.primary_cause.map(str::to_string),
                ea_value: status_value(&verdict),
                registration: verdict.facts.registration.clone(),
                home: Some(chosen.account.home.display().to_string()),
            },
        );
        verdicts.push(verdict);
    }
    let log = LogRecord {
        source: totals.source.clone(),
        last_entries_read: totals.entries,
        entries_read_total: previous_log.entries_read_total + totals.entries,
        entries_matched_total: previous_log.entries_matched_total + totals.matched,
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
    let written =
        state::save(state_path, &saved).map_err(|e| format!("{}: {e}", state_path.display()));
    Ok(TickOutcome {
        report: Report {
            verdicts,
            timeline: crate::timeline::Timeline::from_store(&store, &window),
        },
        entries_read: totals.entries,
        entries_matched: totals.matched,
        records_added: store.len() as i64 - before,
        state_note,
        state_path: state_path.to_path_buf(),
        written,
    })
}

/// A tick analyses the named user, or else every user with the agent's
/// preferences plus the console user.
fn tick_accounts(request: &Request) -> Result<Vec<ChosenAccount>> {
    use crate::analysis::UserSelection;
    match &request.users {
        UserSelection::Named(_) | UserSelection::All | UserSelection::List(_) => {
            resolve_accounts(request)
        }
        UserSelection::Console => {
            let mut all = resolve_accounts(&Request {
                users: UserSelection::All,
                ..request.clone()
            })
            .unwrap_or_default();
            if let Ok(console) = resolve_accounts(request) {
                for chosen in console {
                    if !all.iter().any(|c| c.account.name == chosen.account.name) {
                        all.push(chosen);
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
pub fn answer(request: &Request, state_path: &Path, max_age: Duration) -> Result<Report> {
    let reason = match state::load(state_path) {
        Ok(Some(saved)) => match freshness(&saved, request, max_age) {
            Ok(()) => match from_state(request, &saved) {
                Ok(report) => return Ok(report),
                Err(e) => format!("state not usable: {e:#}"),
            },
            Err(reason) => reason,
        },
        Ok(None) => "no saved state yet".to_string(),
        Err(reason) => format!("state discarded: {reason}"),
    };
    match tick_noted(
        request,
        state_path,
        std::time::Duration::ZERO,
        Some(reason.clone()),
    ) {
        Ok(outcome) => Ok(outcome.report),
        Err(_) => analyze_noted(request, Some(reason)),
    }
}

fn freshness(saved: &State, request: &Request, max_age: Duration) -> Result<(), String> {
    let age = request.now.signed_duration_since(saved.written_at);
    if age < Duration::zero() {
        return Err(format!(
            "state was written after the analysis clock ({})",
            saved.written_at.to_rfc3339()
        ));
    }
    if age > max_age {
        return Err(format!(
            "state is {} min old (limit {} min)",
            age.num_minutes(),
            max_age.num_minutes()
        ));
    }
    if saved.window_seconds != request.since.num_seconds() {
        return Err(format!(
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
    let window = request.window();
    let observations = store.observations(&window);
    let totals = LogTotals {
        source: "state".to_string(),
        problems: saved.log.problems.clone(),
        entries: saved.log.entries_read_total,
        matched: saved.log.entries_matched_total,
        bytes: 0,
        styles: saved.log.styles.clone(),
        inputs: vec![InputRecord {
            what: crate::analysis::LOG_INPUT.to_string(),
            path: format!("state written {}", saved.written_at.to_rfc3339()),
            state: InputState::Read,
            reason: None,
        }],
    };
    let accounts = state_accounts(request, saved)?;
    let verdicts = accounts
        .iter()
        .map(|chosen| {
            let stored = saved
                .users
                .get(chosen.account.name.as_str())
                .and_then(|u| u.registration.clone());
            verdict_for(
                request,
                chosen,
                &observations,
                &totals,
                RegistrationPlan::Stored(stored),
                None,
            )
        })
        .collect();
    Ok(Report {
        verdicts,
        timeline: crate::timeline::Timeline::from_store(&store, &window),
    })
}

/// Accounts for an answer from state: a home the tick stored saves a
/// directory-service call.
fn state_accounts(request: &Request, saved: &State) -> Result<Vec<ChosenAccount>> {
    use crate::analysis::UserSelection;
    let stored = |user: &UserName, chosen_by: &str| {
        saved
            .users
            .get(user.as_str())
            .and_then(|u| u.home.clone())
            .map(|home| ChosenAccount {
                account: Account {
                    name: user.clone(),
                    home: PathBuf::from(home),
                    uid: None,
                    gid: None,
                    home_source: "saved state".to_string(),
                },
                chosen_by: chosen_by.to_string(),
            })
    };
    match &request.users {
        UserSelection::Named(user) => {
            if let Some(chosen) = stored(user, "--user") {
                return Ok(vec![chosen]);
            }
        }
        UserSelection::Console => {
            let found = crate::sources::accounts::console_user(&request.commands, &request.paths);
            if let Ok((user, how)) = found {
                let chosen_by = match how {
                    crate::sources::accounts::ChosenBy::LastUser => {
                        "most recent user (nobody logged in)"
                    }
                    _ => "console user",
                };
                if let Some(chosen) = stored(&user, chosen_by) {
                    return Ok(vec![chosen]);
                }
                return resolve_accounts(&Request {
                    users: UserSelection::Named(user),
                    ..request.clone()
                });
            }
        }
        _ => {}
    }
    resolve_accounts(request)
}
