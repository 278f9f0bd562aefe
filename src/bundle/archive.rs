//! Writing a bundle: one zip whose entries are redacted as they are written,
//! within a total size cap, each recorded as an item of the manifest (a
//! missing or failed source included). What goes in is chosen by the
//! collect module; this one only knows how to write it.

use super::manifest::{Item, ItemStatus};
use super::redact::{REDACTED, Redactor, is_secret_key};
use crate::util::files::{OnBehalfOf, folder_without_links, open_owned, read_capped_owned};
use anyhow::{Context, Result, bail};
use plist::Value;
use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// Largest part of one Intune, Company Portal or jamf.log file kept (its end).
const LOG_TAIL_BYTES: u64 = 4 << 20;
/// Largest plist read.
const MAX_PLIST_BYTES: u64 = 16 << 20;
/// A log line longer than this is redacted and written in pieces.
const MAX_LINE: usize = 1 << 20;
/// How far back from a piece's end a word boundary is looked for.
const PIECE_SEARCH: usize = 64 << 10;

/// A zip being written: entries redacted, a total size cap, and the item
/// list of the manifest.
pub(crate) struct Archive<W: Write + Seek> {
    zip: ZipWriter<W>,
    written: u64,
    cap: u64,
    items: Vec<Item>,
    truncated: bool,
    names: BTreeSet<String>,
    modified: Option<zip::DateTime>,
}

fn entry_options(modified: Option<zip::DateTime>) -> SimpleFileOptions {
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o600)
        .large_file(true);
    match modified {
        Some(time) => options.last_modified_time(time),
        None => options,
    }
}

/// The analysis clock as a zip timestamp (local time, as zip stores it).
fn zip_time(now: chrono::DateTime<chrono::FixedOffset>) -> Option<zip::DateTime> {
    use chrono::{Datelike, Timelike};
    zip::DateTime::from_date_and_time(
        u16::try_from(now.year()).ok()?,
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
    .ok()
}

impl<W: Write + Seek> Archive<W> {
    /// An empty archive of at most `cap` bytes (uncompressed), its entries
    /// dated `now`.
    pub(crate) fn new(
        zip: ZipWriter<W>,
        cap: u64,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Self {
        Archive {
            zip,
            written: 0,
            cap,
            items: Vec::new(),
            truncated: false,
            names: BTreeSet::new(),
            modified: zip_time(now),
        }
    }

    /// Bytes written so far (uncompressed).
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    fn room(&self) -> u64 {
        self.cap.saturating_sub(self.written)
    }

    /// What a lookup found; a missing or failed source is recorded as such.
    fn found<T>(&mut self, source: &str, lookup: anyhow::Result<Option<T>>) -> Option<T> {
        match lookup {
            Ok(Some(found)) => Some(found),
            Ok(None) => {
                self.record("", source, ItemStatus::Missing, 0, None);
                None
            }
            Err(e) => {
                self.record("", source, ItemStatus::Failed, 0, Some(format!("{e:#}")));
                None
            }
        }
    }

    /// Records an item of the manifest.
    pub(crate) fn record(
        &mut self,
        entry: &str,
        source: &str,
        status: ItemStatus,
        bytes: u64,
        note: Option<String>,
    ) {
        self.items.push(Item {
            entry: entry.to_string(),
            source: source.to_string(),
            status,
            bytes,
            note,
        });
    }

    /// Marks the last recorded item failed, with `note`.
    pub(crate) fn fail_last(&mut self, note: String) {
        if let Some(item) = self.items.last_mut() {
            item.status = ItemStatus::Failed;
            item.note = Some(note);
        }
    }

    /// Starts an entry; a name is written once only.
    pub(crate) fn start(&mut self, entry: &str) -> Result<()> {
        if !self.names.insert(entry.to_string()) {
            bail!("{entry}: written twice");
        }
        self.zip
            .start_file(entry, entry_options(self.modified))
            .with_context(|| format!("{entry}: cannot start the entry"))
    }

    /// Adds a text entry, redacted, cut at the cap. A note starting with
    /// `last ` says the source was already cut to its end.
    pub(crate) fn add_text(
        &mut self,
        entry: &str,
        source: &str,
        text: &str,
        redactor: &mut Redactor,
        note: Option<String>,
    ) -> Result<()> {
        let named = entry_name(entry, redactor);
        let entry = named.as_str();
        let redacted = redactor.redact(text);
        let bytes = redacted.as_bytes();
        if self.room() == 0 {
            self.truncated = true;
            self.record(
                "",
                source,
                ItemStatus::Skipped,
                0,
                Some("the bundle's size cap was reached".into()),
            );
            return Ok(());
        }
        let keep = bytes.len().min(self.room() as usize);
        self.start(entry)?;
        self.zip
            .write_all(&bytes[..keep])
            .with_context(|| format!("{entry}: write failed"))?;
        self.written += keep as u64;
        if keep < bytes.len() {
            self.truncated = true;
            let cut = format!(
                "cut at the bundle's size cap ({} of {} bytes)",
                keep,
                bytes.len()
            );
            let note = Some(note.map_or(cut.clone(), |n| format!("{n}; {cut}")));
            self.record(entry, source, ItemStatus::Truncated, keep as u64, note);
        } else {
            let status = if note.as_deref().is_some_and(|n| n.starts_with("last ")) {
                ItemStatus::Truncated
            } else {
                ItemStatus::Collected
            };
            self.record(entry, source, status, keep as u64, note);
        }
        Ok(())
    }

    /// Adds a plist converted to XML, secret keys blanked and text redacted.
    /// An unreadable one is copied as text so that `analyze` sees it
    /// unreadable too.
    pub(crate) fn add_plist(
        &mut self,
        entry: &str,
        path: &Path,
        behalf: OnBehalfOf,
        redactor: &mut Redactor,
    ) -> Result<()> {
        let source = path.display().to_string();
        let read = read_capped_owned(path, MAX_PLIST_BYTES, behalf);
        let Some(bytes) = self.found(&source, read) else {
            return Ok(());
        };
        match crate::util::plist::parse(&bytes) {
            Ok(value) => {
                let text = plist_text(value, redactor)?;
                self.add_text(entry, &source, &text, redactor, None)
            }
            Err(e) => self.add_text(
                entry,
                &source,
                &String::from_utf8_lossy(&bytes),
                redactor,
                Some(format!("not a valid plist ({e}): copied as text")),
            ),
        }
    }

    /// Adds the end of a log file (at most [`LOG_TAIL_BYTES`]).
    pub(crate) fn add_tail(
        &mut self,
        entry: &str,
        path: &Path,
        behalf: OnBehalfOf,
        redactor: &mut Redactor,
    ) -> Result<()> {
        let source = path.display().to_string();
        let Some(mut file) = self.found(&source, open_owned(path, behalf)) else {
            return Ok(());
        };
        let length = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut read = || -> std::io::Result<(Vec<u8>, bool)> {
            let cut = length > LOG_TAIL_BYTES;
            if cut {
                file.seek(SeekFrom::End(-(LOG_TAIL_BYTES as i64)))?;
            }
            let mut bytes = Vec::new();
            (&mut file).take(LOG_TAIL_BYTES).read_to_end(&mut bytes)?;
            if cut && let Some(newline) = memchr::memchr(b'\n', &bytes) {
                bytes.drain(..=newline);
            }
            Ok((bytes, cut))
        };
        match read() {
            Ok((bytes, cut)) => {
                let note =
                    cut.then(|| format!("last {} MiB of {} bytes", LOG_TAIL_BYTES >> 20, length));
                self.add_text(
                    entry,
                    &source,
                    &String::from_utf8_lossy(&bytes),
                    redactor,
                    note,
                )
            }
            Err(e) => {
                self.record("", &source, ItemStatus::Failed, 0, Some(e.to_string()));
                Ok(())
            }
        }
    }

    /// Adds the end of every `*.log` file of a folder, as `prefix/<name>`.
    pub(crate) fn add_log_folder(
        &mut self,
        prefix: &str,
        dir: &Path,
        behalf: OnBehalfOf,
        redactor: &mut Redactor,
    ) -> Result<()> {
        match folder_without_links(dir) {
            Ok(true) => {}
            Ok(false) => {
                self.record("", &dir.display().to_string(), ItemStatus::Missing, 0, None);
                return Ok(());
            }
            Err(reason) => {
                self.record(
                    "",
                    &dir.display().to_string(),
                    ItemStatus::Failed,
                    0,
                    Some(format!("{reason:#}")),
                );
                return Ok(());
            }
        }
        for name in matching_files(dir, &[""], ".log") {
            let shown = log_file_name(&name, redactor);
            self.add_tail(
                &format!("{prefix}/{shown}"),
                &dir.join(&name),
                behalf,
                redactor,
            )?;
        }
        Ok(())
    }

    /// Writes the manifest, last, and closes the zip.
    pub(crate) fn finish(mut self, entry: &str, manifest: &str) -> Result<()> {
        self.start(entry)?;
        self.zip
            .write_all(manifest.as_bytes())
            .with_context(|| format!("{entry}: write failed"))?;
        self.zip.finish().context("finishing the zip")?;
        Ok(())
    }

    /// The items recorded so far, and whether anything was cut at the cap.
    pub(crate) fn take_items(&mut self) -> (Vec<Item>, bool) {
        (std::mem::take(&mut self.items), self.truncated)
    }
}

/// Copies one log into the current entry line by line, redacted, within the
/// cap, as it streams past the reader.
#[derive(Default)]
pub(crate) struct LogCopy {
    pending: Vec<u8>,
    bytes: u64,
    cut: bool,
    error: Option<String>,
}

impl LogCopy {
    /// Takes more bytes of the log.
    pub(crate) fn push<W: Write + Seek>(
        &mut self,
        data: &[u8],
        archive: &mut Archive<W>,
        redactor: &mut Redactor,
    ) {
        self.pending.extend_from_slice(data);
        let mut start = 0;
        while let Some(offset) = memchr::memchr(b'\n', &self.pending[start..]) {
            let end = start + offset + 1;
            let line = self.pending[start..end].to_vec();
            self.write_line(&line, archive, redactor);
            start = end;
        }
        self.pending.drain(..start);
        while self.pending.len() > MAX_LINE {
            // Cut a long line between words, so that no token is split in
            // two pieces that each escape redaction.
            let window = &self.pending[MAX_LINE - PIECE_SEARCH..MAX_LINE];
            let cut = window
                .iter()
                .rposition(|b| b" \t,;&\"'<>()[]{}".contains(b))
                .map_or(MAX_LINE, |at| MAX_LINE - PIECE_SEARCH + at + 1);
            let piece: Vec<u8> = self.pending.drain(..cut).collect();
            self.write_line(&piece, archive, redactor);
        }
    }

    /// Writes what is left of an unfinished last line.
    pub(crate) fn finish<W: Write + Seek>(
        &mut self,
        archive: &mut Archive<W>,
        redactor: &mut Redactor,
    ) {
        let rest = std::mem::take(&mut self.pending);
        if !rest.is_empty() {
            self.write_line(&rest, archive, redactor);
        }
    }

    fn write_line<W: Write + Seek>(
        &mut self,
        line: &[u8],
        archive: &mut Archive<W>,
        redactor: &mut Redactor,
    ) {
        if self.cut || self.error.is_some() {
            return;
        }
        let text = String::from_utf8_lossy(line);
        let redacted = redactor.redact_line(&text);
        let bytes = redacted.as_bytes();
        if bytes.len() as u64 > archive.room() {
            self.cut = true;
            archive.truncated = true;
            return;
        }
        match archive.zip.write_all(bytes) {
            Ok(()) => {
                archive.written += bytes.len() as u64;
                self.bytes += bytes.len() as u64;
            }
            Err(e) => self.error = Some(e.to_string()),
        }
    }

    /// Records the copy as the item `entry` of `source`.
    pub(crate) fn record<W: Write + Seek>(
        &self,
        archive: &mut Archive<W>,
        entry: &str,
        source: &str,
    ) {
        let (status, note) = match (&self.error, self.cut) {
            (Some(e), _) => (ItemStatus::Failed, Some(e.clone())),
            (None, true) => (
                ItemStatus::Truncated,
                Some("cut at the bundle's size cap; the whole log was analysed".into()),
            ),
            (None, false) => (ItemStatus::Collected, None),
        };
        archive.record(entry, source, status, self.bytes, note);
    }
}

/// Files in `dir` whose names start with one of `prefixes` and end with
/// `suffix`: regular files with plain names only, sorted.
pub(crate) fn matching_files(dir: &Path, prefixes: &[&str], suffix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| {
                    n.ends_with(suffix)
                        && prefixes.iter().any(|p| n.starts_with(p))
                        && is_plain_name(n)
                })
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " ._-()".contains(c))
}

/// An entry's name as the bundle shows it: a secret (or, with personal data
/// redaction, a name) in a file's name is redacted too, and the name keeps
/// a pseudonym of the original so that two files never share one.
fn entry_name(entry: &str, redactor: &mut Redactor) -> String {
    let redacted = redactor.redact_name(entry).into_owned();
    tagged_if_changed(entry, &redacted, redactor)
}

/// A log file's name from the Mac as the bundle shows it: [`entry_name`]'s
/// redaction, and with personal data redaction a user's name anywhere in it
/// (`CompanyPortal-jdoe.log`).
fn log_file_name(name: &str, redactor: &mut Redactor) -> String {
    let redacted = redactor.redact_name(name).into_owned();
    tagged_if_changed(name, &redacted, redactor)
}

/// `redacted` (of `original`), tagged with a pseudonym of the original
/// when redaction changed it.
fn tagged_if_changed(original: &str, redacted: &str, redactor: &Redactor) -> String {
    if redacted == original {
        return original.to_string();
    }
    let tag = redactor.pseudonym("file", original);
    let shown = redacted.replace(REDACTED, "redacted");
    match shown.rsplit_once('.') {
        Some((stem, extension)) if !extension.contains('/') => {
            format!("{stem}-{tag}.{extension}")
        }
        _ => format!("{shown}-{tag}"),
    }
}

/// What became of a plist's values.
#[derive(Default)]
struct Scrubbed {
    secrets: u64,
    data: u64,
}

/// Scrubs a plist: under a secret key the whole value goes, whatever its
/// type (string, data, array, dictionary) except a yes/no; a `<data>` blob under any key is
/// dropped (binary values cannot be checked); with personal data redaction,
/// serial numbers become pseudonyms.
/// A plist as the bundle keeps it: secret keys' values, data and every
/// form of a secret inside a string value removed (redacted before the
/// XML's escaping hides `<refresh_token>` or `&#61;` from the text
/// redaction), written as XML.
fn plist_text(mut value: Value, redactor: &mut Redactor) -> Result<String> {
    let mut scrubbed = Scrubbed::default();
    scrub_plist(&mut value, redactor, &mut scrubbed);
    redactor.counts.add("plist-secret", scrubbed.secrets);
    redactor.counts.add("plist-data", scrubbed.data);
    let mut xml = Vec::new();
    value.to_writer_xml(&mut xml).context("plist to XML")?;
    Ok(String::from_utf8_lossy(&xml).into_owned())
}

fn scrub_plist(value: &mut Value, redactor: &mut Redactor, scrubbed: &mut Scrubbed) {
    match value {
        Value::Dictionary(dict) => {
            for (key, inner) in dict.iter_mut() {
                // A yes/no cannot carry a secret (`PasswordCurrent`).
                if is_secret_key(key) && !matches!(inner, Value::Boolean(_)) {
                    *inner = Value::String(REDACTED.to_string());
                    scrubbed.secrets += 1;
                } else if redactor.personal_data()
                    && key.to_ascii_lowercase().contains("serial")
                    && let Value::String(text) = inner
                {
                    *text = redactor.pseudonym("serial", text);
                } else {
                    scrub_plist(inner, redactor, scrubbed);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| scrub_plist(v, redactor, scrubbed)),
        Value::Data(bytes) => {
            *value = Value::String(format!("[DATA REMOVED: {} bytes]", bytes.len()));
            scrubbed.data += 1;
        }
        Value::String(text) => {
            if let std::borrow::Cow::Owned(redacted) = redactor.redact(text) {
                *text = redacted;
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_form_of_a_secret_survives_in_a_plist_s_string_values() {
        for personal in [false, true] {
            let mut redactor = Redactor::new(personal, &["alice".to_string()]);
            let corpus = crate::bundle::redact::tests::corpus();
            let mut dictionary = plist::Dictionary::new();
            for (n, (text, _)) in corpus.iter().enumerate() {
                dictionary.insert(format!("Note{n}"), Value::String(text.clone()));
            }
            dictionary.insert(
                "Nested".into(),
                Value::Array(
                    corpus
                        .iter()
                        .map(|(t, _)| Value::String(t.clone()))
                        .collect(),
                ),
            );
            let text = plist_text(Value::Dictionary(dictionary), &mut redactor).unwrap();
            let text = redactor.redact(&text);
            for (_, secret) in &corpus {
                assert!(
                    !text.contains(secret.as_str()),
                    "{secret} survived in {text}"
                );
            }
        }
    }

    #[test]
    fn a_user_s_name_in_an_entry_s_name_is_a_pseudonym() {
        let mut redactor = Redactor::new(true, &["alice".to_string()]);
        let name = entry_name("jamf-connect/com.jamf.connect.alice.plist", &mut redactor);
        assert!(!name.contains("alice"), "{name}");
        assert!(name.starts_with("jamf-connect/com.jamf.connect."), "{name}");
        let mut redactor = Redactor::new(false, &["alice".to_string()]);
        let name = entry_name("jamf-connect/com.jamf.connect.alice.plist", &mut redactor);
        assert_eq!(name, "jamf-connect/com.jamf.connect.alice.plist");
    }

    #[test]
    fn a_secret_word_anywhere_in_a_key_makes_it_secret() {
        for key in [
            "ROPGClientSecretURL",
            "tokenEndpointSecret",
            "ADPassphrase",
            "LDAPBindPW",
            "Pwd",
            "clientKey",
            "OIDCClientSecret",
            "refresh_token",
            "Password",
        ] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in [
            "PasswordPolicies",
            "PasswordType",
            "OIDCTokenURL",
            "last_aad_token_timestamp",
            "tokenRetryCount",
            "PublicKey",
            "NetworkCheck",
            "have_an_Azure_id",
        ] {
            assert!(!is_secret_key(key), "{key}");
        }
    }

    #[test]
    fn plist_secrets_go_whatever_their_type_and_harmless_keys_stay() {
        let mut dict = plist::Dictionary::new();
        dict.insert(
            "last_aad_token_timestamp".into(),
            Value::String("1795168800".into()),
        );
        dict.insert("tokenRetryCount".into(), Value::Integer(3.into()));
        dict.insert(
            "refreshToken".into(),
            Value::Array(vec![Value::String("RT1".into())]),
        );
        let mut nested = plist::Dictionary::new();
        nested.insert("value".into(), Value::String("S1".into()));
        dict.insert("ClientSecret".into(), Value::Dictionary(nested));
        dict.insert("OIDCClientSecret".into(), Value::String("S2".into()));
        dict.insert("blob".into(), Value::Data(vec![1, 2, 3]));
        dict.insert("SerialNumber".into(), Value::String("C02XK1ABJG5H".into()));
        dict.insert("PasswordCurrent".into(), Value::Boolean(false));
        let mut policies = plist::Dictionary::new();
        policies.insert("NetworkCheck".into(), Value::Integer(15.into()));
        policies.insert("AdminPassword".into(), Value::String("S3".into()));
        dict.insert("PasswordPolicies".into(), Value::Dictionary(policies));
        let mut value = Value::Dictionary(dict);
        let mut scrubbed = Scrubbed::default();
        scrub_plist(&mut value, &mut Redactor::new(true, &[]), &mut scrubbed);
        let dict = value.as_dictionary().unwrap();
        assert_eq!(
            dict["last_aad_token_timestamp"].as_string(),
            Some("1795168800")
        );
        assert_eq!(dict["tokenRetryCount"].as_signed_integer(), Some(3));
        for key in ["refreshToken", "ClientSecret", "OIDCClientSecret"] {
            assert_eq!(dict[key].as_string(), Some(REDACTED), "{key}");
        }
        assert_eq!(dict["blob"].as_string(), Some("[DATA REMOVED: 3 bytes]"));
        assert!(
            dict["SerialNumber"]
                .as_string()
                .unwrap()
                .starts_with("serial-")
        );
        assert_eq!(dict["PasswordCurrent"].as_boolean(), Some(false));
        let policies = dict["PasswordPolicies"].as_dictionary().unwrap();
        assert_eq!(policies["NetworkCheck"].as_signed_integer(), Some(15));
        assert_eq!(policies["AdminPassword"].as_string(), Some(REDACTED));
        assert_eq!((scrubbed.secrets, scrubbed.data), (4, 1));
    }
}
