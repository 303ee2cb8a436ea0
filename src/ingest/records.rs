//! Record formats: CSV (RFC 4180), TSV and JSONL, read as a stream.
//!
//! Takes a reader and a column mapping, gives one [`Item`] per record to a sink: a unit, or a reject that
//! names the file, line, field and reason. Nothing is held beyond the record being read.

use super::columns::{ColumnRef, Columns, Resolved, Role};
use super::{Item, Reject, dates};
use crate::error::{Error, Result, read_err};
use crate::model::{Kind, Unit};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, Read};
use std::rc::Rc;

/// How deeply a JSONL record may nest arrays and objects at most, and by default: serde_json's recursion
/// limit (it fails at the 128th level), which bounds the parser's stack. A deeper record is a bad record;
/// `--max-json-depth` can lower the limit.
pub const MAX_JSON_DEPTH: usize = 127;

/// Whether `json` nests arrays and objects more than `limit` levels deep (strings skipped), for a limit
/// below serde_json's own.
fn deeper_than(json: &str, limit: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in json.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// Which record syntax to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Comma-separated, RFC 4180 quoting.
    Csv,
    /// Tab-separated, no quoting; surplus tabs belong to the last column.
    Tsv,
    /// One JSON object per line.
    Jsonl,
}

/// Where records come from and how to map them.
pub struct Spec<'a> {
    /// The file name for messages and provenance (`-` for stdin).
    pub source: &'a str,
    /// The document id for records without one (the file stem).
    pub doc: &'a str,
    /// The column mapping.
    pub columns: &'a Columns,
    /// Whether the first CSV/TSV line is data rather than a header.
    pub no_header: bool,
    /// Whether an empty text is a record to score (all zeros, as the reference does) rather than a reject.
    pub keep_empty: bool,
    /// The CSV field delimiter (`,` unless sniffed or given).
    pub delimiter: u8,
    /// How deeply a JSONL record may nest (1 to [`MAX_JSON_DEPTH`]).
    pub max_json_depth: usize,
    /// The pool JSONL lines are parsed on, a block at a time; on the reading thread when `None`.
    pub pool: Option<&'a rayon::ThreadPool>,
    /// Whether the fields besides the text and the id are read (author, date, parent, kind, document),
    /// and a bad one rejected: `run`'s tables use them; `score` writes none and leaves them alone (its
    /// records' document is the file's).
    pub meta: bool,
}

impl Spec<'_> {
    /// Whether a role's field is read ([`Spec::meta`]).
    fn reads(&self, role: Role) -> bool {
        self.meta || !role.is_meta()
    }
}

/// The column chosen for each role, and what the user should know about them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Chosen {
    /// (role, column as the header names it, or as the first JSON record that has one writes its key).
    pub columns: Vec<(&'static str, String)>,
    /// A JSON key that a flag names and no record has, with what that means.
    pub notes: Vec<String>,
    /// The header's columns that no role reads, in header order (CSV and TSV with a header).
    pub unused: Vec<String>,
}

/// Reads every record of `input`, passing each to `sink` in input order; gives the columns chosen.
pub fn read(
    syntax: Syntax,
    input: &mut dyn BufRead,
    spec: &Spec,
    sink: &mut dyn FnMut(Item) -> Result<()>,
) -> Result<Chosen> {
    let mut chosen = Chosen::default();
    match syntax {
        Syntax::Csv => read_csv(input, spec, sink, &mut chosen),
        Syntax::Tsv => read_tsv(input, spec, sink, &mut chosen),
        Syntax::Jsonl => read_jsonl(input, spec, sink, &mut chosen),
    }?;
    Ok(chosen)
}

/// The columns a resolved mapping chose, named by the header when there is one.
fn chosen_of(resolved: &Resolved, header: Option<&[String]>) -> Chosen {
    let used: Vec<usize> = Role::ALL
        .into_iter()
        .filter_map(|role| resolved.get(role))
        .collect();
    let unused = header.map_or_else(Vec::new, |h| {
        h.iter()
            .enumerate()
            .filter(|(k, name)| !used.contains(k) && !name.trim().is_empty())
            .map(|(_, name)| name.clone())
            .collect()
    });
    let columns = Role::ALL
        .into_iter()
        .filter_map(|role| {
            let k = resolved.get(role)?;
            let name = header
                .and_then(|h| h.get(k).cloned())
                .unwrap_or_else(|| format!("column {}", k + 1));
            Some((role_name(role), name))
        })
        .collect();
    Chosen {
        columns,
        notes: Vec::new(),
        unused,
    }
}

fn strip_bom(input: &mut dyn BufRead, source: &str) -> Result<()> {
    let buf = input.fill_buf().map_err(read_err(source))?;
    if buf.starts_with(b"\xEF\xBB\xBF") {
        input.consume(3);
    }
    Ok(())
}

fn header_names(fields: Vec<&[u8]>, spec: &Spec) -> Result<Vec<String>> {
    fields
        .into_iter()
        .enumerate()
        .map(|(k, f)| {
            String::from_utf8(f.to_vec())
                .map(|s| s.trim().to_string())
                .map_err(|_| Error::Record {
                    file: spec.source.into(),
                    line: 1,
                    field: format!("header column {}", k + 1),
                    reason: "invalid UTF-8".into(),
                })
        })
        .collect()
}

/// Passes bytes through and remembers where the newlines are, so that a record's first line can be told
/// exactly: the csv crate counts lines only at record ends and reports a record's start at the line
/// terminator before it. Each newline is kept with the offset of the last byte before it that is not
/// `\r` or `\n`; only the newlines of the reader's look-ahead are held.
struct Newlines<R> {
    inner: R,
    offset: i64,
    last_text: i64,
    seen: Rc<RefCell<VecDeque<(i64, i64)>>>,
    /// The bytes from the latest record's start on: enough to check its quoting at the end of input.
    tail: Rc<RefCell<(i64, Vec<u8>)>>,
}

impl<R: Read> Read for Newlines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let mut seen = self.seen.borrow_mut();
        for (i, b) in buf[..n].iter().enumerate() {
            let at = self.offset + i as i64;
            match b {
                b'\n' => seen.push_back((at, self.last_text)),
                b'\r' => {}
                _ => self.last_text = at,
            }
        }
        self.tail.borrow_mut().1.extend_from_slice(&buf[..n]);
        self.offset += n as i64;
        Ok(n)
    }
}

/// How a record's raw bytes are quoted (RFC 4180 quoting, `""` escapes a quote, fields separated by
/// `delimiter`), read up to the line end that closes the record.
struct Quoting {
    /// The bytes end inside a quoted field: a quote that is never closed.
    unterminated: bool,
    /// How many lines into the record the first quoted field that runs over lines is closed, when more
    /// text than a delimiter or a line end follows its closing quote: the mark of a quote not closed where
    /// it should have been, which read the records after it into this one (the CSV reader keeps such
    /// text).
    late_close: Option<usize>,
}

/// Reads the quoting of a record's raw bytes ([`Quoting`]).
fn quoting(raw: &[u8], delimiter: u8) -> Quoting {
    let (mut in_quotes, mut field_start, mut lines, mut multiline) = (false, true, 0, false);
    let mut late_close = None;
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if in_quotes {
            if b == b'\n' {
                multiline = true;
                lines += 1;
            } else if b == b'"' {
                if raw.get(i + 1) == Some(&b'"') {
                    i += 1;
                } else {
                    in_quotes = false;
                    let next = raw.get(i + 1).copied();
                    if multiline
                        && late_close.is_none()
                        && next.is_some_and(|c| c != delimiter && c != b'\n' && c != b'\r')
                    {
                        late_close = Some(lines);
                    }
                }
            }
        } else if b == b'"' && field_start {
            in_quotes = true;
            multiline = false;
        } else if b == b'\n' {
            // The record ended outside quotes.
            return Quoting {
                unterminated: false,
                late_close,
            };
        }
        field_start = !in_quotes && (b == delimiter || matches!(b, b'\n' | b'\r'));
        i += 1;
    }
    Quoting {
        unterminated: in_quotes,
        late_close,
    }
}

/// The 1-based line of a record whose reported start is `start`: newlines before it, plus those of the
/// blank run between `start` and its first real byte.
fn record_line(seen: &RefCell<VecDeque<(i64, i64)>>, lines_before: &mut u64, start: i64) -> u64 {
    let mut seen = seen.borrow_mut();
    while let Some(&(nl, last_text)) = seen.front() {
        if nl < start || last_text < start {
            seen.pop_front();
            *lines_before += 1;
        } else {
            break;
        }
    }
    *lines_before + 1
}

/// The reject of a record from `line` (to before `next`) whose [`Quoting::late_close`] is `at` lines in.
fn stray_reject(spec: &Spec, line: u64, at: usize, next: u64) -> Reject {
    let end = next.saturating_sub(1).max(line);
    reject(
        spec,
        line,
        "record",
        format!(
            "a quoted field runs from line {line} to line {} and its closing quote is followed by more text: a quote was probably not closed where it should have been, so the lines after it (to line {end}) were read into this record; fix the quote and run again",
            line + at as u64
        ),
    )
}

fn read_csv(
    input: &mut dyn BufRead,
    spec: &Spec,
    sink: &mut dyn FnMut(Item) -> Result<()>,
    chosen: &mut Chosen,
) -> Result<()> {
    strip_bom(input, spec.source)?;
    let seen = Rc::new(RefCell::new(VecDeque::new()));
    let tail = Rc::new(RefCell::new((0i64, Vec::new())));
    let tracked = Newlines {
        inner: input,
        offset: 0,
        last_text: -1,
        seen: Rc::clone(&seen),
        tail: Rc::clone(&tail),
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(spec.delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(tracked);
    let mut rec = csv::ByteRecord::new();
    let (mut lines_before, mut last_line) = (0u64, 0u64);
    let mut map: Option<(Resolved, Option<usize>)> = None;
    if spec.no_header {
        let r = spec.columns.resolve(None, spec.source)?;
        *chosen = chosen_of(&r, None);
        map = Some((r, None));
    }
    // Each record waits until the next one is read: only then is it known not to be a record that an
    // unterminated quote ran to the end of the input.
    let mut pending: Option<Item> = None;
    while rdr
        .read_byte_record(&mut rec)
        .map_err(|e| csv_error(e, spec))?
    {
        let start = rec.position().map_or(0, |p| p.byte() as i64);
        let line = record_line(&seen, &mut lines_before, start);
        {
            let mut t = tail.borrow_mut();
            let drop = usize::try_from(start - t.0).unwrap_or(0).min(t.1.len());
            // The pending record's bytes are known now that the next one starts.
            if matches!(pending, Some(Item::Unit(_)))
                && let Some(at) = quoting(&t.1[..drop], spec.delimiter).late_close
            {
                pending = Some(Item::Bad(stray_reject(spec, last_line, at, line)));
            }
            t.1.drain(..drop);
            t.0 += drop as i64;
        }
        last_line = line;
        let Some((resolved, width)) = map else {
            let names = header_names(rec.iter().collect(), spec)?;
            let r = spec.columns.resolve(Some(&names), spec.source)?;
            *chosen = chosen_of(&r, Some(&names));
            map = Some((r, Some(names.len())));
            continue;
        };
        let fields: Vec<&[u8]> = rec.iter().collect();
        let item = match width {
            Some(w) if fields.len() != w => Item::Bad(reject(
                spec,
                line,
                "record",
                format!(
                    "expected {w} fields as in the header, found {}{}",
                    fields.len(),
                    // More fields than the header: most often a text with the delimiter in it.
                    if fields.len() > w {
                        format!(
                            "; a field that holds {:?} must be in double quotes",
                            char::from(spec.delimiter)
                        )
                    } else {
                        String::new()
                    }
                ),
            )),
            _ => in_column(to_unit(&fields, &resolved, spec, line), chosen, spec),
        };
        if let Some(p) = pending.replace(item) {
            sink(p)?;
        }
    }
    let last = quoting(&tail.borrow().1, spec.delimiter);
    if matches!(pending, Some(Item::Unit(_)))
        && let Some(at) = last.late_close
    {
        pending = Some(Item::Bad(stray_reject(
            spec,
            last_line,
            at,
            last_line + at as u64 + 1,
        )));
    }
    if pending.is_some() && last.unterminated {
        let reason = format!(
            "unterminated quoted field: a quote opened in this record is never closed, so the rest of the file (from line {last_line} on) was read into it"
        );
        pending = Some(Item::Bad(reject(spec, last_line, "record", reason)));
    }
    if let Some(p) = pending {
        sink(p)?;
    }
    Ok(())
}

fn csv_error(e: csv::Error, spec: &Spec) -> Error {
    let line = e.position().map_or(0, csv::Position::line);
    let words = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(source) => Error::Read {
            path: spec.source.into(),
            source,
        },
        _ => Error::Record {
            file: spec.source.into(),
            line,
            field: "record".into(),
            reason: words,
        },
    }
}

/// The reason for a record that is not UTF-8, `at` bytes (from 0) into its `part`.
pub fn not_utf8(at: usize, part: &str) -> String {
    format!(
        "invalid UTF-8 at byte {} of the {part}; if the file is not UTF-8, give its encoding with --encoding",
        at + 1
    )
}

/// Reads lines as bytes, so that invalid UTF-8 is a reject of that line rather than a failure.
fn for_each_line(
    input: &mut dyn BufRead,
    source: &str,
    mut f: impl FnMut(u64, std::result::Result<&str, std::str::Utf8Error>) -> Result<()>,
) -> Result<()> {
    for_each_block(input, source, |lines| {
        lines.iter().try_for_each(|&(line, text)| f(line, text))
    })
}

/// Lines in a block of [`for_each_block`]: enough to spread over the pool, few enough (some 1.2 MB of
/// comments) to keep memory flat.
const BLOCK_LINES: usize = 4096;

/// `BufRead::read_until(b'\n', buf)`, with the memchr crate's vector search for the newline: the
/// standard library's portable one took 3 % of `score --raw`'s time (perf, 200 k comments).
fn read_line(input: &mut dyn BufRead, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    let mut read = 0;
    loop {
        let available = match input.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let (done, used) = match memchr::memchr(b'\n', available) {
            Some(i) => (true, i + 1),
            None => (available.is_empty(), available.len()),
        };
        buf.extend_from_slice(&available[..used]);
        input.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

/// [`for_each_line`] a block of lines at a time: `f` gets each line's number and text (or why it is not
/// UTF-8), in input order.
fn for_each_block(
    input: &mut dyn BufRead,
    source: &str,
    mut f: impl FnMut(&[(u64, std::result::Result<&str, std::str::Utf8Error>)]) -> Result<()>,
) -> Result<()> {
    let mut buf = Vec::new();
    let mut spans: Vec<(u64, usize, usize)> = Vec::with_capacity(BLOCK_LINES);
    let mut line = 0u64;
    loop {
        buf.clear();
        spans.clear();
        while spans.len() < BLOCK_LINES {
            let start = buf.len();
            let n = read_line(input, &mut buf).map_err(read_err(source))?;
            if n == 0 {
                break;
            }
            line += 1;
            let mut bytes = &buf[start..];
            let mut from = start;
            if line == 1 && bytes.starts_with(b"\xEF\xBB\xBF") {
                bytes = &bytes[3..];
                from += 3;
            }
            while let [rest @ .., b'\n' | b'\r'] = bytes {
                bytes = rest;
            }
            spans.push((line, from, from + bytes.len()));
        }
        if spans.is_empty() {
            return Ok(());
        }
        let lines: Vec<_> = spans
            .iter()
            .map(|&(line, a, b)| (line, std::str::from_utf8(&buf[a..b])))
            .collect();
        f(&lines)?;
    }
}

fn read_tsv(
    input: &mut dyn BufRead,
    spec: &Spec,
    sink: &mut dyn FnMut(Item) -> Result<()>,
    chosen: &mut Chosen,
) -> Result<()> {
    let mut map: Option<(Resolved, usize)> = None;
    if spec.no_header {
        let r = spec.columns.resolve(None, spec.source)?;
        *chosen = chosen_of(&r, None);
        map = Some((r, r.width()));
    }
    for_each_line(input, spec.source, |line, text| {
        let text = match text {
            Ok(t) => t,
            Err(e) => {
                return sink(Item::Bad(reject(
                    spec,
                    line,
                    "record",
                    not_utf8(e.valid_up_to(), "line"),
                )));
            }
        };
        if text.is_empty() {
            return Ok(());
        }
        let Some((resolved, width)) = map else {
            let names: Vec<String> = text.split('\t').map(|s| s.trim().to_string()).collect();
            let r = spec.columns.resolve(Some(&names), spec.source)?;
            *chosen = chosen_of(&r, Some(&names));
            map = Some((r, names.len()));
            return Ok(());
        };
        let fields: Vec<&[u8]> = text.splitn(width.max(1), '\t').map(str::as_bytes).collect();
        sink(in_column(
            to_unit(&fields, &resolved, spec, line),
            chosen,
            spec,
        ))
    })
}

/// A record rejected for a field whose column has another name than its role ("Posted on" for the date)
/// names the column in its reason, so that the user knows which column to look at.
fn in_column(item: Item, chosen: &Chosen, spec: &Spec) -> Item {
    let Item::Bad(mut r) = item else {
        return item;
    };
    if let Some((_, column)) = chosen
        .columns
        .iter()
        .find(|(role, column)| *role == r.field && !column.eq_ignore_ascii_case(role))
    {
        r.reason = if spec.no_header {
            format!("{column}: {}", r.reason)
        } else {
            format!("column {column:?}: {}", r.reason)
        };
    }
    Item::Bad(r)
}

fn reject(spec: &Spec, line: u64, field: &str, reason: String) -> Reject {
    Reject {
        source: spec.source.into(),
        line,
        field: field.into(),
        reason,
    }
}

fn to_unit(fields: &[&[u8]], map: &Resolved, spec: &Spec, line: u64) -> Item {
    let mut vals: [Option<String>; 7] = Default::default();
    for (slot, role) in Role::ALL.into_iter().enumerate() {
        let Some(pos) = map.get(role).filter(|_| spec.reads(role)) else {
            continue;
        };
        let Some(raw) = fields.get(pos) else {
            if role == Role::Text {
                return Item::Bad(reject(
                    spec,
                    line,
                    "text",
                    format!(
                        "missing: the record has {} fields, the text is field {}",
                        fields.len(),
                        pos + 1
                    ),
                ));
            }
            continue;
        };
        match std::str::from_utf8(raw) {
            Ok(s) => vals[slot] = Some(s.to_string()),
            Err(e) => {
                return Item::Bad(reject(
                    spec,
                    line,
                    role_name(role),
                    not_utf8(e.valid_up_to(), "field"),
                ));
            }
        }
    }
    build(vals, spec, line)
}

/// The role's name as the columns line gives it: `text`, `author`.
pub(crate) fn role_name(role: Role) -> &'static str {
    role.flag()
        .trim_start_matches("--")
        .trim_end_matches("-column")
}

/// Turns mapped field values into a unit, validating text, date and kind.
fn build(vals: [Option<String>; 7], spec: &Spec, line: u64) -> Item {
    let [text, id, author, date, parent, kind, doc] = vals;
    let text = match text {
        Some(t) if spec.keep_empty || !t.trim().is_empty() => t,
        Some(_) => return Item::Bad(reject(spec, line, "text", "empty text".into())),
        None => return Item::Bad(reject(spec, line, "text", "missing text field".into())),
    };
    let date = match date
        .filter(|_| spec.meta)
        .and_then(nonempty)
        .map(|d| date_field(&d))
        .transpose()
    {
        Ok(d) => d,
        Err(why) => return Item::Bad(reject(spec, line, "date", why)),
    };
    let kind = match kind.and_then(nonempty).map(|k| kind_field(&k)).transpose() {
        Ok(k) => k,
        Err(why) => return Item::Bad(reject(spec, line, "kind", why)),
    };
    // Reddit: "t1_x" is a comment id, "t3_x" the post; a reply to the post is a top-level comment.
    let parent = parent
        .and_then(nonempty)
        .filter(|p| !p.starts_with("t3_"))
        .map(strip_reddit);
    let doc = doc
        .and_then(nonempty)
        .map_or_else(|| spec.doc.to_string(), strip_reddit);
    let id = id
        .and_then(nonempty)
        .map_or_else(|| format!("{}:{line}", spec.doc), strip_reddit);
    Item::Unit(Unit {
        id,
        doc_id: doc,
        kind,
        author: author.and_then(nonempty),
        date,
        parent_id: parent,
        source: spec.source.into(),
        line,
        text,
        ..Unit::default()
    })
}

/// A record's date field (not empty) as ISO 8601, or why it is not a date: the one reading of dates that
/// every reader of records shares (ingest, and the partials of the Python package).
pub fn date_field(d: &str) -> std::result::Result<String, String> {
    let iso = dates::to_iso(d);
    // A placeholder for no date would be a period of its own in by_date and the timeline.
    if let Some(what) = iso.as_deref().and_then(dates::placeholder) {
        return Err(format!(
            "{d:?} is {what}, which exports write for no date; an empty field is a record without a date"
        ));
    }
    iso.ok_or_else(|| {
        // An ISO 8601 date that does not exist (2026-02-31) is named as such, with jiff's reason.
        let t = d.trim();
        let b = t.as_bytes();
        let iso_shaped = b.len() >= 10
            && b[..4].iter().all(u8::is_ascii_digit)
            && b[4] == b'-'
            && b[7] == b'-'
            && t.is_char_boundary(10);
        match (
            iso_shaped.then(|| t[..10].parse::<jiff::civil::Date>()),
            t.parse::<f64>(),
        ) {
            (Some(Err(e)), _) => format!(
                "{d:?} is not a date that exists: {}",
                calendar_reason(&t[..10]).unwrap_or_else(|| e.to_string())
            ),
            (Some(Ok(_)), _) if let Some(why) = time_reason(t) => format!("{d:?} {why}"),
            _ if dates::year_alone(t) => format!(
                "{d:?} is a year alone, not a date (a date has at least its day: 2018-07-06)"
            ),
            _ if t.len() == 6
                && t.bytes().all(|b| b.is_ascii_digit())
                && dates::year_alone(&t[..4])
                && matches!(t[4..].parse::<u8>(), Ok(1..=12)) =>
            {
                format!(
                    "{d:?} is a year and month alone (YYYYMM), not a date (a date has at least its day: 2018-07-06)"
                )
            }
            _ if t.len() == 8
                && t.bytes().all(|b| b.is_ascii_digit())
                && matches!(&t[..2], "19" | "20" | "21") =>
            {
                format!(
                    "{d:?} is shaped as ISO 8601's basic form (YYYYMMDD) but is no date from 1900 to 2100 that exists"
                )
            }
            _ if t.len() == 7
                && format!("{t}-01").parse::<jiff::civil::Date>().is_ok() =>
            {
                format!("{d:?} is a year and month alone, not a date (a date has at least its day: 2018-07-06)")
            }
            // Unix seconds are read from 10^8 (1973-03-03) up to 10^11 (the year 5138).
            (_, Ok(n)) if n < 0.0 => format!(
                "{d:?} is a negative number: Unix seconds before 1970 are not read (write such a date as ISO 8601)"
            ),
            (_, Ok(n)) if n < dates::UNIX_FROM => format!(
                "{d:?} is too small for Unix seconds of a comment (before 1973-03-03, 10^8): such numbers, 0 among them, are what exports write for no date; an empty field is a record without a date"
            ),
            (_, Err(_)) if let Some(why) = dates::offset_reason(t) => {
                format!("{d:?} is {why}")
            }
            (_, Ok(n)) if (1e11..1e17).contains(&n) => format!(
                "{d:?} is too large for Unix seconds (after the year 5138): if it is in milliseconds or microseconds, as JavaScript and some exports write them, divide it by 1000 or 10^6 in the file first"
            ),
            _ => format!(
                "{d:?} is none of the dates read: ISO 8601, Unix seconds, RFC 2822 (Tue, 05 Jun 2018 10:00:00 +0000) or Twitter's (Tue Jun 05 10:00:00 +0000 2018)"
            ),
        }
    })
}

/// Why an ISO 8601 date shaped `YYYY-MM-DD` does not exist, in plain words: the month past 12 or 0, or
/// the day past the month's last (`2026-02 has days 1 to 28`). `None` when it is not all digits.
fn calendar_reason(date: &str) -> Option<String> {
    let (y, m, d) = (
        date[..4].parse::<i16>().ok()?,
        date.get(5..7)?.parse::<i8>().ok()?,
        date.get(8..10)?.parse::<i8>().ok()?,
    );
    if !(1..=12).contains(&m) {
        return Some(format!("it has the month {m}, which no year has (1 to 12)"));
    }
    let last = jiff::civil::Date::new(y, m, 1).ok()?.days_in_month();
    (!(1..=last).contains(&d)).then(|| format!("{}-{:02} has days 1 to {last}", &date[..4], m))
}

/// Why the clock time of an ISO 8601 date-time (`T` or a space after the date, then `HH:MM` and maybe
/// `:SS`) does not exist: an hour past 23, a minute past 59 or a second past 60. `None` otherwise.
fn time_reason(t: &str) -> Option<String> {
    let b = t.as_bytes();
    let two = |at: usize| -> Option<u32> {
        let (x, y) = (*b.get(at)?, *b.get(at + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit())
            .then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (two(11)?, two(14)?);
    let second = (b.get(16) == Some(&b':')).then(|| two(17)).flatten();
    if hour == 24 {
        return Some("has the hour 24, which is not read: write 00:00 of the next day".into());
    }
    let (what, value, range) = if hour > 23 {
        ("hour", hour, "0 to 23")
    } else if minute > 59 {
        ("minute", minute, "0 to 59")
    } else if let Some(second) = second.filter(|&s| s > 60) {
        ("second", second, "0 to 59, or 60 for a leap second")
    } else {
        return None;
    };
    Some(format!(
        "has the {what} {value}, which no clock shows ({range})"
    ))
}

/// A record's kind field (not empty), or why it is not a kind.
pub fn kind_field(k: &str) -> std::result::Result<Kind, String> {
    Kind::parse(k)
        .ok_or_else(|| {
            format!(
                "{k:?} is not one of title, heading, paragraph, caption, comment (if this field is not what kind of unit a record is, as Reddit's API writes \"t1\" there, name another with --kind-column)"
            )
        })
}

fn strip_reddit(mut s: String) -> String {
    if let [b't', b'1'..=b'6', b'_', ..] = s.as_bytes() {
        s.drain(..3);
    }
    s
}

/// A field's value without the spaces around it, `None` when nothing is left; the string is kept when
/// it has none to lose (most values), so that reading a record copies no field twice.
fn nonempty(s: String) -> Option<String> {
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_string())
    }
}

fn read_jsonl(
    input: &mut dyn BufRead,
    spec: &Spec,
    sink: &mut dyn FnMut(Item) -> Result<()>,
    chosen: &mut Chosen,
) -> Result<()> {
    for role in Role::ALL {
        if let Some(super::columns::ColumnRef::Index(_)) = spec.columns.get(role) {
            return Err(Error::Flag {
                flag: role.flag().into(),
                reason: "JSONL fields are chosen by name or dotted path, not by index".into(),
            });
        }
    }
    // Lines are parsed a block at a time on the pool, in parallel, and handed to the sink in input
    // order: the same items, in the same order, as a line at a time on this thread.
    let wanted = Wanted::of(spec);
    // Each role's key as the first record that has one writes it; the records are JSON objects.
    let mut keys: [Option<String>; 7] = Default::default();
    let mut objects = false;
    for_each_block(input, spec.source, |lines| {
        // A role's key is looked for until a record has given it: most are found in the first block.
        let want = Role::ALL
            .into_iter()
            .enumerate()
            .filter(|&(slot, role)| spec.reads(role) && keys[slot].is_none())
            .fold(0u8, |bits, (slot, _)| bits | 1 << slot);
        let parse = |&(line, text): &(u64, std::result::Result<&str, std::str::Utf8Error>)| {
            jsonl_record(line, text, spec, &wanted, want)
        };
        let parsed: Vec<Option<(Item, Option<Box<Found>>)>> = match spec.pool {
            Some(pool) if pool.current_num_threads() > 1 => {
                use rayon::prelude::*;
                pool.install(|| lines.par_iter().map(parse).collect())
            }
            _ => lines.iter().map(parse).collect(),
        };
        for (item, found) in parsed.into_iter().flatten() {
            if let Some(found) = found {
                objects = true;
                for ((slot, role), key) in Role::ALL.into_iter().enumerate().zip(*found) {
                    if let (None, Some(key)) = (&keys[slot], key) {
                        keys[slot] = Some(key.name(role, spec).to_string());
                    }
                }
            }
            sink(item)?;
        }
        Ok(())
    })?;
    chosen.columns = Role::ALL
        .into_iter()
        .zip(&keys)
        .filter_map(|(role, key)| Some((role_name(role), key.clone()?)))
        .collect();
    // A key a flag names that no record has: every record's field is then empty, which the user would
    // not otherwise learn (a CSV header without the column is an error).
    for (role, key) in Role::ALL.into_iter().zip(&keys) {
        if let (true, true, None, Some(c @ (ColumnRef::Name(_) | ColumnRef::Names(_)))) = (
            objects,
            role != Role::Text && spec.reads(role),
            key,
            spec.columns.get(role),
        ) {
            chosen.notes.push(format!(
                "{}: no record has the key {} that {} names (a key a flag names matches as written, case included): every record's {} is empty",
                spec.source,
                c.quoted(),
                role.flag(),
                role_name(role)
            ));
        }
    }
    Ok(())
}

/// Where a JSON record's field for a role was found: by the name or path its flag gave, or by one of the
/// role's default names (its index), or as written: a default name in another case, or a path into an
/// object under a default name (`user.screen_name`).
#[derive(Clone)]
enum Key {
    Given,
    Default(u8),
    Written(Box<str>),
}

impl Key {
    fn name<'a>(&'a self, role: Role, spec: &'a Spec) -> &'a str {
        match (self, spec.columns.get(role)) {
            (Key::Given, Some(super::columns::ColumnRef::Name(path))) => path,
            (Key::Default(d), _) => role.defaults()[usize::from(*d)],
            (Key::Written(key), _) => key,
            _ => "",
        }
    }
}

/// The key of each role's field in one JSON object, up to the field it was rejected for.
type Found = [Option<Key>; 7];

/// One JSONL line: nothing for a blank line; else the item, with the keys found of the roles whose bit
/// `want` sets, when the line is a JSON object that has one (boxed: the items of a block are moved several
/// times, and each role's key is reported once).
fn jsonl_record(
    line: u64,
    text: std::result::Result<&str, std::str::Utf8Error>,
    spec: &Spec,
    wanted: &Wanted,
    want: u8,
) -> Option<(Item, Option<Box<Found>>)> {
    let bad = |field: &str, why: String| Some((Item::Bad(reject(spec, line, field, why)), None));
    let text = match text {
        Ok(t) => t,
        Err(e) => return bad("record", not_utf8(e.valid_up_to(), "line")),
    };
    if text.trim().is_empty() {
        return None;
    }
    let too_deep = || {
        format!(
            "JSON nested deeper than {} levels, the limit (--max-json-depth)",
            spec.max_json_depth
        )
    };
    if spec.max_json_depth < MAX_JSON_DEPTH && deeper_than(text, spec.max_json_depth) {
        return bad("record", too_deep());
    }
    let obj = match wanted.pick(text) {
        Some((picked, cased)) => Top::Picked(wanted, picked, cased),
        None => match serde_json::from_str(text) {
            Ok(v @ Value::Object(_)) => Top::Object(v),
            Ok(_) => return bad("record", "not a JSON object".into()),
            Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
                return bad("record", too_deep());
            }
            Err(e) => return bad("record", format!("invalid JSON: {}", json_error(&e))),
        },
    };
    let mut vals: [Option<String>; 7] = Default::default();
    let mut found: Found = Default::default();
    let mut any = false;
    for (slot, role) in Role::ALL.into_iter().enumerate() {
        if !spec.reads(role) {
            continue;
        }
        let keys = want & 1 << slot != 0;
        let (key, value) = match spec.columns.get(role) {
            Some(ColumnRef::Name(path)) => (Key::Given, lookup(&obj, path)),
            // Several names: the first this record has, named as written.
            Some(ColumnRef::Names(paths)) => paths
                .iter()
                .find_map(|p| Some((Key::Written(p.as_str().into()), Some(lookup(&obj, p)?))))
                .unwrap_or((Key::Given, None)),
            // A default name has no dots: its lookup is the field of that name, as written or in
            // another case.
            _ => role
                .defaults()
                .iter()
                .enumerate()
                .find_map(|(k, d)| {
                    let (v, cased) = obj.get_default(slot, k, d)?;
                    // A default name that holds an object (Twitter's "user") gives the first of the
                    // role's default names in it (user.screen_name); an object without one is a bad
                    // field, as any value that is not a string or a number.
                    let inner = match v {
                        Got::Val(Value::Object(m)) => role.defaults().iter().find_map(|n| {
                            let v = m.get(*n).filter(|v| v.is_string() || v.is_number())?;
                            Some((Got::of(v), *n))
                        }),
                        _ => None,
                    };
                    let (v, inner) = match inner {
                        Some((v, n)) => (v, Some(n)),
                        None => (v, None),
                    };
                    let key = match (keys, cased, inner) {
                        (true, c, Some(n)) => {
                            Key::Written(format!("{}.{n}", c.unwrap_or(d)).into())
                        }
                        (true, Some(c), None) => Key::Written(c.into()),
                        _ => Key::Default(k as u8),
                    };
                    Some((key, Some(v)))
                })
                .unwrap_or((Key::Given, None)),
        };
        if keys && value.is_some() {
            found[slot] = Some(key);
            any = true;
        }
        // Numbers are taken as written (serde_json's arbitrary_precision keeps their text), so that
        // an id or a date is quoted back exactly. The text itself must be a string.
        vals[slot] = match value {
            None | Some(Got::Val(Value::Null)) if role != Role::Text => None,
            Some(Got::Str(s)) => Some(s.to_string()),
            Some(Got::Val(Value::Number(n))) if role != Role::Text => Some(n.to_string()),
            Some(Got::Val(other)) => {
                let want = if role == Role::Text {
                    "a string"
                } else {
                    "a string or a number"
                };
                let why = format!("expected {want}, found {}", json_type(other));
                return Some((
                    Item::Bad(reject(spec, line, role_name(role), why)),
                    any.then(|| Box::new(found)),
                ));
            }
            None => None,
        };
    }
    if vals[0].is_none() {
        let why = missing_text(text, spec);
        return Some((
            Item::Bad(reject(spec, line, "text", why)),
            any.then(|| Box::new(found)),
        ));
    }
    Some((build(vals, spec, line), any.then(|| Box::new(found))))
}

/// Why a JSON record has no text field, with its top-level keys, so that the user can name the text's key
/// (parsed again, whole: only a rejected record gets here).
fn missing_text(json: &str, spec: &Spec) -> String {
    let keys: Vec<String> = serde_json::from_str::<serde_json::Map<String, Value>>(json)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let given = spec
        .columns
        .get(Role::Text)
        .filter(|c| !c.names().is_empty());
    let mut why = match given {
        Some(c) => format!("missing text field {} (--text-column)", c.quoted()),
        None => "missing text field".to_string(),
    };
    if keys.is_empty() {
        why.push_str(": the record is an empty object");
        return why;
    }
    why.push_str(&format!("; its keys: {}", super::columns::listing(&keys)));
    if given.is_none() {
        why.push_str(&format!(
            "; none is one of {} (in any case): name the text's key with --text-column (a nested one as data.body)",
            Role::Text.defaults().join(", ")
        ));
    }
    why
}

/// serde_json's message without its line number, which counts lines within the record (always 1) and
/// read as a second line number next to the file's: `trailing comma at column 28`.
fn json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    let at = format!(" at line {} column {}", e.line(), e.column());
    match msg.strip_suffix(&at) {
        Some(m) if e.line() == 1 => format!("{m} at column {}", e.column()),
        _ => msg,
    }
}

fn json_type(v: &Value) -> String {
    match v {
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
        Value::Null => "null".into(),
        Value::Bool(b) => format!("the boolean {b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(_) => "a string".into(),
    }
}

/// Follows a dotted path (`data.body`) into nested objects; an exact key with dots wins.
fn lookup<'v>(obj: &'v Top, path: &str) -> Option<Got<'v>> {
    if let Some(v) = obj.get(path) {
        return Some(v);
    }
    let mut keys = path.split('.');
    let Got::Val(first) = obj.get(keys.next()?)? else {
        return None;
    };
    keys.try_fold(first, |v, key| v.get(key)).map(Got::of)
}

/// A JSON value a lookup found: a string (borrowed from the record when it has no escapes), or any
/// other value.
enum Got<'v> {
    Str(&'v str),
    Val(&'v Value),
}

impl<'v> Got<'v> {
    fn of(v: &'v Value) -> Got<'v> {
        match v {
            Value::String(s) => Got::Str(s),
            v => Got::Val(v),
        }
    }
}

/// A JSONL record's object: whole, or only the top-level fields a lookup can reach ([`Wanted::pick`]):
/// those of the wanted names, and per default name the key that is it in another case ([`Cased`]).
enum Top<'w, 'j> {
    Object(Value),
    Picked(&'w Wanted, Vec<Option<Field<'j>>>, Cased<'j>),
}

/// Per wanted name, the field whose key is that default name in another case: of several such keys the
/// first in byte order (as the whole parse's map, ordered by key, meets them), and of that key the last.
/// Empty when the record has no such key.
type Cased<'j> = Vec<Option<(String, Field<'j>)>>;

impl Top<'_, '_> {
    /// The top-level field `key` (the last of that name, as serde_json's map keeps it).
    fn get(&self, key: &str) -> Option<Got<'_>> {
        match self {
            Top::Object(v) => v.get(key).map(Got::of),
            Top::Picked(w, vals, _) => {
                let i = w.index(key);
                debug_assert!(i.is_some(), "{key} is not a wanted key");
                Top::got(vals[i?].as_ref()?)
            }
        }
    }

    /// The field of the `k`th default name of the `slot`th role, `name` (found without comparing names
    /// when picked): of that key, or else of a key that is the name in another case (`Text` for `text`,
    /// as a CSV header's names match), which is then given too.
    fn get_default(&self, slot: usize, k: usize, name: &str) -> Option<(Got<'_>, Option<&str>)> {
        match self {
            Top::Object(v) => self.get(name).map(|g| (g, None)).or_else(|| {
                v.as_object()?
                    .iter()
                    .find(|(key, _)| is_cased(key, name))
                    .map(|(key, v)| (Got::of(v), Some(key.as_str())))
            }),
            Top::Picked(w, vals, cased) => {
                let i = w.defaults[slot][k];
                match (&vals[i], cased.get(i).and_then(Option::as_ref)) {
                    (Some(f), _) => Top::got(f).map(|g| (g, None)),
                    (None, Some((key, f))) => Top::got(f).map(|g| (g, Some(key.as_str()))),
                    (None, None) => None,
                }
            }
        }
    }

    fn got<'v>(f: &'v Field) -> Option<Got<'v>> {
        Some(match f {
            Field::Str(s) => Got::Str(s),
            Field::Val(v) => Got::of(v),
        })
    }
}

/// Whether `key` is the default name `name` in another case.
fn is_cased(key: &str, name: &str) -> bool {
    key != name && key.eq_ignore_ascii_case(name)
}

/// A wanted field's value: a string borrowed from the record when it has no escapes (most texts, ids and
/// names: no [`Value`] built and copied again), or any value.
#[derive(Clone)]
enum Field<'j> {
    Str(std::borrow::Cow<'j, str>),
    Val(Value),
}

impl<'de> serde::Deserialize<'de> for Field<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_any(FieldVisitor)
    }
}

/// Strings as [`Field::Str`]; every other value built as serde_json builds it (a number, which
/// arbitrary_precision hands over as a map, keeps its text).
struct FieldVisitor;

impl<'de> serde::de::Visitor<'de> for FieldVisitor {
    type Value = Field<'de>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_borrowed_str<E: serde::de::Error>(
        self,
        v: &'de str,
    ) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Str(std::borrow::Cow::Borrowed(v)))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Str(std::borrow::Cow::Owned(v.to_string())))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Str(std::borrow::Cow::Owned(v)))
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Val(Value::Bool(v)))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Val(Value::from(v)))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Val(Value::from(v)))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Val(Value::from(v)))
    }
    fn visit_unit<E: serde::de::Error>(self) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Val(Value::Null))
    }
    fn visit_none<E: serde::de::Error>(self) -> std::result::Result<Field<'de>, E> {
        Ok(Field::Val(Value::Null))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        seq: A,
    ) -> std::result::Result<Field<'de>, A::Error> {
        serde::Deserialize::deserialize(serde::de::value::SeqAccessDeserializer::new(seq))
            .map(Field::Val)
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        map: A,
    ) -> std::result::Result<Field<'de>, A::Error> {
        serde::Deserialize::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            .map(Field::Val)
    }
}

/// The top-level keys that a record's lookups can reach: each role's given name and the first key of its
/// dotted path, or the role's default names. A record is parsed for these alone ([`Wanted::pick`]):
/// building every other field as a [`Value`] (a map of strings) cost more than the rest of reading it.
struct Wanted {
    names: Vec<String>,
    /// Whether a dotted path goes on into the field of that name: it is then built as a whole [`Value`].
    nested: Vec<bool>,
    /// For each role (in [`Role::ALL`]'s order), the index in `names` of each of its default names.
    defaults: [Vec<usize>; 7],
    /// The indexes in `names` of the default names, by their length: those a key of that length can be
    /// in another case.
    by_len: Vec<Vec<usize>>,
    /// Whether a default name has a capital letter.
    upper: bool,
    /// Parse every record whole, never picking: the model the picking parse is tested against.
    #[cfg(test)]
    whole: bool,
}

impl Wanted {
    fn of(spec: &Spec) -> Wanted {
        let mut w = Wanted {
            names: Vec::new(),
            nested: Vec::new(),
            defaults: Default::default(),
            by_len: Vec::new(),
            upper: false,
            #[cfg(test)]
            whole: false,
        };
        let add = |w: &mut Wanted, n: &str, nested: bool| match w.index(n) {
            Some(i) => {
                w.nested[i] |= nested;
                i
            }
            None => {
                w.names.push(n.to_string());
                w.nested.push(nested);
                w.names.len() - 1
            }
        };
        for (slot, role) in Role::ALL.into_iter().enumerate() {
            if !spec.reads(role) {
                continue;
            }
            match spec.columns.get(role) {
                Some(c @ (ColumnRef::Name(_) | ColumnRef::Names(_))) => {
                    for path in c.names() {
                        add(&mut w, path, false);
                        if let Some((first, _)) = path.split_once('.') {
                            add(&mut w, first, true);
                        }
                    }
                }
                _ => {
                    for d in role.defaults() {
                        let i = add(&mut w, d, false);
                        w.defaults[slot].push(i);
                        if w.by_len.len() <= d.len() {
                            w.by_len.resize(d.len() + 1, Vec::new());
                        }
                        if !w.by_len[d.len()].contains(&i) {
                            w.by_len[d.len()].push(i);
                        }
                        w.upper |= d.bytes().any(|b| b.is_ascii_uppercase());
                    }
                }
            }
        }
        w
    }

    /// The default name that `key` is in another case, if any (its index in `names`).
    fn cased(&self, key: &str) -> Option<usize> {
        // The default names are lowercase: a key in lowercase, as most are, is one of them or none.
        // (Comparing every key with the names of its length cost 3 % of `score --raw`.)
        if !self.upper && !key.bytes().any(|b| b.is_ascii_uppercase()) {
            return None;
        }
        self.by_len
            .get(key.len())?
            .iter()
            .copied()
            .find(|&i| is_cased(key, &self.names[i]))
    }

    fn index(&self, key: &str) -> Option<usize> {
        self.names.iter().position(|n| n == key)
    }

    /// The wanted fields of a JSON object, each the last of its name, with every other value checked
    /// but not built. `None` when `json` is not an object or not valid JSON, and when it could be a
    /// record that the whole parse rejects while this one would not: nested deeper than serde_json's
    /// recursion limit (which skipping a value does not apply), or holding a surrogate escape (`\uD800`
    /// to `\uDFFF`, which a skipped string does not check). The caller then parses the whole object,
    /// which gives the same fields or names the error exactly.
    fn pick<'j>(&self, json: &'j str) -> Option<(Vec<Option<Field<'j>>>, Cased<'j>)> {
        #[cfg(test)]
        if self.whole {
            return None;
        }
        let b = json.as_bytes();
        // Most records open one object and no array: jumping from one bracket to the next is quicker
        // than counting byte by byte.
        let opens = memchr::memchr2_iter(b'{', b'[', b).count();
        let surrogate = memchr::memchr_iter(b'\\', b).any(|i| {
            matches!(b.get(i + 1..i + 4), Some(&[b'u', d, x])
                if d | 0x20 == b'd' && matches!(x | 0x20, b'8' | b'9' | b'a'..=b'f'))
        });
        if opens >= MAX_JSON_DEPTH || surrogate {
            return None;
        }
        let mut de = serde_json::Deserializer::from_str(json);
        let vals = serde::de::DeserializeSeed::deserialize(Pick(self), &mut de).ok()?;
        de.end().ok()?;
        Some(vals)
    }
}

/// [`Wanted::pick`]'s parse of one object.
struct Pick<'w>(&'w Wanted);

impl<'de> serde::de::DeserializeSeed<'de> for Pick<'_> {
    type Value = (Vec<Option<Field<'de>>>, Cased<'de>);
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Pick<'_> {
    type Value = (Vec<Option<Field<'de>>>, Cased<'de>);
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut vals: Vec<Option<Field>> = (0..self.0.names.len()).map(|_| None).collect();
        // Made only for a record that has such a key: most have none.
        let mut cased: Cased = Vec::new();
        while let Some((exact, other)) = map.next_key_seed(PickKey(self.0))? {
            let value = match exact {
                Some(i) if self.0.nested[i] => Field::Val(map.next_value()?),
                None if other.is_none() => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    continue;
                }
                _ => map.next_value()?,
            };
            if let Some((i, key)) = other {
                if cased.is_empty() {
                    cased.resize_with(self.0.names.len(), || None);
                }
                if cased[i].as_ref().is_none_or(|(k, _)| key <= *k) {
                    cased[i] = Some((key, value.clone()));
                }
            }
            if let Some(i) = exact {
                vals[i] = Some(value);
            }
        }
        Ok((vals, cased))
    }
}

/// A key of [`Pick`]'s object: the index of the wanted name it is, if any, and of the default name it
/// is in another case, if any (with the key).
struct PickKey<'w>(&'w Wanted);

impl<'de> serde::de::DeserializeSeed<'de> for PickKey<'_> {
    type Value = (Option<usize>, Option<(usize, String)>);
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for PickKey<'_> {
    type Value = (Option<usize>, Option<(usize, String)>);
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: serde::de::Error>(self, key: &str) -> std::result::Result<Self::Value, E> {
        Ok((
            self.0.index(key),
            self.0.cased(key).map(|i| (i, key.to_string())),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_line_is_read_until_a_newline() {
        use std::io::BufRead;
        let parts: [&[u8]; 6] = [b"a", b"\n", b"\r\n", b"{\"x\": 1}", b"\xC3\xA9", b""];
        let mut rng = crate::partial::bootstrap::SplitMix(5);
        for _ in 0..2000 {
            let mut input = Vec::new();
            for _ in 0..rng.below(40) {
                input.extend_from_slice(parts[rng.below(parts.len())]);
            }
            // A buffer smaller than a line: lines span refills.
            let cap = 1 + rng.below(8);
            let mut ours = std::io::BufReader::with_capacity(cap, input.as_slice());
            let mut theirs = std::io::BufReader::with_capacity(cap, input.as_slice());
            loop {
                let (mut a, mut b) = (b"kept".to_vec(), b"kept".to_vec());
                let n = read_line(&mut ours, &mut a).unwrap();
                assert_eq!(n, theirs.read_until(b'\n', &mut b).unwrap());
                assert_eq!(a, b, "{input:?}");
                if n == 0 {
                    break;
                }
            }
        }
    }

    fn run(syntax: Syntax, data: &[u8], cols: Columns, no_header: bool) -> Vec<Item> {
        read_all(syntax, data, cols, no_header).0
    }

    /// The items of `data` and the columns chosen.
    fn read_all(
        syntax: Syntax,
        data: &[u8],
        cols: Columns,
        no_header: bool,
    ) -> (Vec<Item>, Chosen) {
        let spec = Spec {
            source: "in",
            doc: "in",
            columns: &cols,
            no_header,
            keep_empty: false,
            delimiter: b',',
            max_json_depth: MAX_JSON_DEPTH,
            pool: None,
            meta: true,
        };
        let mut out = Vec::new();
        let chosen = read(syntax, &mut &data[..], &spec, &mut |i| {
            out.push(i);
            Ok(())
        })
        .unwrap();
        (out, chosen)
    }

    fn units(items: &[Item]) -> Vec<&Unit> {
        items
            .iter()
            .filter_map(|i| if let Item::Unit(u) = i { Some(u) } else { None })
            .collect()
    }

    fn rejects(items: &[Item]) -> Vec<(u64, &str, &str)> {
        items
            .iter()
            .filter_map(|i| {
                if let Item::Bad(r) = i {
                    Some((r.line, r.field.as_str(), r.reason.as_str()))
                } else {
                    None
                }
            })
            .collect()
    }

    mod pick {
        use super::super::*;
        use proptest::prelude::*;

        /// A JSON value of the kinds a record holds, in text: strings with and without escapes (a
        /// surrogate pair, a lone surrogate), numbers as written, null, booleans, arrays, objects.
        fn value() -> impl Strategy<Value = String> {
            let leaf = prop_oneof![
                "[a-z =+@-]{0,6}".prop_map(|s| format!("\"{s}\"")),
                Just(r#""caf\u00e9 \"x\" \n""#.to_string()),
                Just(r#""\ud83d\ude00""#.to_string()),
                Just(r#""\ud800""#.to_string()),
                Just(r#""\\ud800""#.to_string()),
                Just("1527811209".to_string()),
                Just("99999999999999999999".to_string()),
                Just("-1.50e3".to_string()),
                Just("null".to_string()),
                Just("true".to_string()),
            ];
            leaf.prop_recursive(3, 12, 3, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..3)
                        .prop_map(|v| format!("[{}]", v.join(","))),
                    proptest::collection::vec((key(), inner), 0..3).prop_map(|kv| object(&kv)),
                ]
            })
        }

        fn key() -> impl Strategy<Value = String> {
            prop::sample::select(vec![
                "id",
                "body",
                "text",
                "author",
                "created_utc",
                "parent_id",
                "kind",
                "link_id",
                "data",
                "data.body",
                "b\\u006fdy",
                // Default names in another case: found as a CSV header's are, the first in byte order
                // of several.
                "Body",
                "BODY",
                "B\\u004fdy",
                "ID",
                "Author",
                "score",
                "d\\ud800",
            ])
            .prop_map(String::from)
        }

        fn object(kv: &[(String, String)]) -> String {
            let fields: Vec<String> = kv.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            format!("{{{}}}", fields.join(", "))
        }

        /// What a record gives: its item and the names of the keys found for each role.
        fn record(line: &str, cols: &Columns, whole: bool) -> Option<(Item, Option<Vec<String>>)> {
            let spec = Spec {
                source: "in",
                doc: "in",
                columns: cols,
                no_header: false,
                keep_empty: true,
                delimiter: b',',
                max_json_depth: MAX_JSON_DEPTH,
                pool: None,
                meta: true,
            };
            let mut wanted = Wanted::of(&spec);
            wanted.whole = whole;
            jsonl_record(1, Ok(line), &spec, &wanted, 0x7f).map(|(item, found)| {
                let names = found.map(|f| {
                    Role::ALL
                        .into_iter()
                        .zip(*f)
                        .map(|(r, k)| k.map_or(String::new(), |k| k.name(r, &spec).to_string()))
                        .collect()
                });
                (item, names)
            })
        }

        proptest! {
            /// Picking the wanted fields gives what parsing the whole object gives: the same unit or the
            /// same reject (an invalid line, a lone surrogate, duplicate keys, a dotted path, a column
            /// named by flag).
            #[test]
            fn picking_gives_what_the_whole_parse_gives(
                kv in proptest::collection::vec((key(), value()), 0..7),
                broken in proptest::option::weighted(0.1, 0usize..40),
                cols in prop::sample::select(vec![
                    Columns::default(),
                    Columns { text: Some(super::super::super::columns::ColumnRef::Name("data.body".into())), ..Columns::default() },
                    Columns { id: Some(super::super::super::columns::ColumnRef::Name("score".into())), ..Columns::default() },
                    // A field that is both a path's first key and a column of its own.
                    Columns {
                        text: Some(super::super::super::columns::ColumnRef::Name("data.body".into())),
                        id: Some(super::super::super::columns::ColumnRef::Name("data".into())),
                        ..Columns::default()
                    },
                ]),
            ) {
                let mut line = object(&kv);
                if let Some(cut) = broken {
                    line.truncate(cut.min(line.len()));
                }
                prop_assert_eq!(record(&line, &cols, false), record(&line, &cols, true));
            }
        }

        #[test]
        fn a_field_that_is_a_path_and_a_column_reads_alike() {
            // "data" is picked whole for the path data.body, and is the id column itself.
            let cols = Columns {
                text: Some(super::super::super::columns::ColumnRef::Name(
                    "data.body".into(),
                )),
                id: Some(super::super::super::columns::ColumnRef::Name("data".into())),
                ..Columns::default()
            };
            for line in [
                r#"{"data": "abc", "body": "t"}"#,
                r#"{"data": {"body": "t"}}"#,
            ] {
                let got = record(line, &cols, false);
                assert_eq!(got, record(line, &cols, true), "{line}");
            }
            let got = record(r#"{"data": "abc"}"#, &cols, false);
            assert!(
                matches!(&got, Some((Item::Bad(r), _)) if r.field == "text"),
                "{got:?}"
            );
        }

        #[test]
        fn deep_records_are_parsed_whole() {
            let deep = format!(
                "{{\"body\": \"x\", \"a\": {}1{}}}",
                "[".repeat(130),
                "]".repeat(130)
            );
            let got = record(&deep, &Columns::default(), false);
            assert_eq!(got, record(&deep, &Columns::default(), true));
            assert!(matches!(got, Some((Item::Bad(r), _)) if r.reason.contains("deeper than 127")));
        }
    }

    #[test]
    fn csv_with_bom_crlf_and_quoted_newlines() {
        let data = b"\xEF\xBB\xBFid,author,text\r\n1,ann,\"Hello,\r\nworld\"\r\n2,bob,\"She said \"\"hi\"\"\"\r\n";
        let items = run(Syntax::Csv, data, Columns::default(), false);
        let u = units(&items);
        assert_eq!(u.len(), 2);
        assert_eq!(u[0].text, "Hello,\r\nworld");
        assert_eq!((u[1].id.as_str(), u[1].line), ("2", 4));
        assert_eq!(u[1].text, "She said \"hi\"");
    }

    #[test]
    fn csv_lines_count_blank_lines_and_quoted_newlines() {
        let data = b"id,text\n1,\"a\nb\"\n\n\n2,x\r\n\r\n3,y";
        let lines: Vec<u64> = units(&run(Syntax::Csv, data, Columns::default(), false))
            .iter()
            .map(|u| u.line)
            .collect();
        assert_eq!(lines, [2, 6, 8]);
    }

    #[test]
    fn a_date_that_does_not_exist_is_named_as_such() {
        let e = date_field("2026-02-31").unwrap_err();
        assert!(
            e.starts_with("\"2026-02-31\" is not a date that exists: "),
            "{e}"
        );
        assert_eq!(
            e,
            "\"2026-02-31\" is not a date that exists: 2026-02 has days 1 to 28"
        );
        let e = date_field("2024-02-30").unwrap_err();
        assert!(e.ends_with("2024-02 has days 1 to 29"), "{e}");
        let e = date_field("2018-06-31").unwrap_err();
        assert!(e.ends_with("2018-06 has days 1 to 30"), "{e}");
        let e = date_field("2018-07-00").unwrap_err();
        assert!(e.ends_with("2018-07 has days 1 to 31"), "{e}");
        let e = date_field("2018-13-01").unwrap_err();
        assert!(
            e.ends_with("it has the month 13, which no year has (1 to 12)"),
            "{e}"
        );
        let e = date_field("0000-00-00").unwrap_err();
        assert!(
            e.ends_with("it has the month 0, which no year has (1 to 12)"),
            "{e}"
        );
        let e = date_field("2026-02-31T10:00:00Z").unwrap_err();
        assert!(e.contains("is not a date that exists"), "{e}");
        let e = date_field("last tuesday").unwrap_err();
        assert!(
            e.contains("is none of the dates read: ISO 8601, Unix seconds, RFC 2822"),
            "{e}"
        );
        let e = date_field("2026-é1-01").unwrap_err();
        assert!(
            e.contains("is none of the dates read: ISO 8601, Unix seconds, RFC 2822"),
            "{e}"
        );
        assert_eq!(date_field("2026-02-28").unwrap(), "2026-02-28");
        let e = date_field("Tue, 31 Jun 2018 10:00:00 +0000").unwrap_err();
        assert!(
            e.starts_with("\"Tue, 31 Jun 2018 10:00:00 +0000\" is not an RFC 2822 date: ")
                && e.contains("day"),
            "{e}"
        );
        assert_eq!(
            date_field("Tue, 05 Jun 2018 10:00:00 -0400").unwrap(),
            "2018-06-05T10:00:00-04:00"
        );
    }

    #[test]
    fn unix_dates_out_of_range_say_why() {
        let e = date_field("1530835200000").unwrap_err();
        assert!(
            e.contains("too large for Unix seconds") && e.contains("milliseconds"),
            "{e}"
        );
        let e = date_field("-1").unwrap_err();
        assert!(e.contains("negative") && e.contains("before 1970"), "{e}");
        let e = date_field("1e300").unwrap_err();
        assert!(
            e.contains("is none of the dates read: ISO 8601, Unix seconds, RFC 2822"),
            "{e}"
        );
        assert_eq!(date_field("1530835200").unwrap(), "2018-07-06T00:00:00Z");
        let e = date_field("2018").unwrap_err();
        assert!(e.starts_with("\"2018\" is a year alone, not a date"), "{e}");
        let e = date_field("2018-07").unwrap_err();
        assert!(
            e.starts_with("\"2018-07\" is a year and month alone, not a date"),
            "{e}"
        );
        let e = date_field("2018-13").unwrap_err();
        assert!(e.contains("is none of the dates read"), "{e}");
        let e = date_field("201807").unwrap_err();
        assert!(e.contains("a year and month alone (YYYYMM)"), "{e}");
        let e = date_field("1969-12-31T19:00:00-05:00").unwrap_err();
        assert!(e.contains("the Unix epoch"), "{e}");
        for n in ["0", "1000", "9999", "201813", "99999999"] {
            let e = date_field(n).unwrap_err();
            assert!(e.contains("too small for Unix seconds"), "{e}");
        }
        for (d, why) in [
            (
                "2018-07-06T25:00:00Z",
                "has the hour 25, which no clock shows (0 to 23)",
            ),
            ("2018-07-06 25:00", "has the hour 25"),
            ("2018-07-06T10:61:00Z", "has the minute 61"),
            ("2018-07-06T10:15:61", "has the second 61"),
            ("2018-07-06T24:00:00", "has the hour 24, which is not read"),
        ] {
            let e = date_field(d).unwrap_err();
            assert_eq!(e, format!("{d:?} {}", &e[d.len() + 3..]), "{e}");
            assert!(e.contains(why), "{e}");
        }
        // A time that exists with something else wrong keeps the general reason.
        let e = date_field("2018-07-06T10:15:00xyz").unwrap_err();
        assert!(e.contains("is none of the dates read"), "{e}");
        let e = date_field("0001-01-01T00:00:00Z").unwrap_err();
        assert!(
            e.contains("zero time, which exports write for no date"),
            "{e}"
        );
        let e = date_field("1970-01-01T00:00:00Z").unwrap_err();
        assert!(e.contains("the Unix epoch"), "{e}");
        assert_eq!(date_field("1970-01-02").unwrap(), "1970-01-02");
        let e = date_field("20180231").unwrap_err();
        assert!(e.contains("basic form (YYYYMMDD)"), "{e}");
        assert_eq!(date_field("99999999999").unwrap(), "5138-11-16T09:46:39Z");
    }

    #[test]
    fn csv_unterminated_quote_is_a_reject_not_a_unit() {
        let items = run(
            Syntax::Csv,
            b"id,text\n1,fine\n2,\"never closed\n3,lost\n",
            Columns::default(),
            false,
        );
        assert_eq!(units(&items).len(), 1);
        let r = rejects(&items);
        assert_eq!((r[0].0, r[0].1), (3, "record"));
        assert!(
            r[0].2.starts_with("unterminated quoted field"),
            "{}",
            r[0].2
        );
        // A quote closed too late (on the next record's line, before more text) is a reject too: the
        // record after it was read into this one.
        let items = run(
            Syntax::Csv,
            b"id,text\n1,\"not closed\n2,\"late\"\n3,after\n",
            Columns::default(),
            false,
        );
        assert_eq!(units(&items).len(), 1);
        let r = rejects(&items);
        assert_eq!((r[0].0, r[0].1), (2, "record"));
        assert!(r[0].2.contains("runs from line 2 to line 3"), "{}", r[0].2);
        // Quoted lines that close properly, and text after a quote on one line, stay as they are.
        let fine = run(
            Syntax::Csv,
            b"id,text\n1,\"two\nlines\"\n2,\"a\"b\n",
            Columns::default(),
            false,
        );
        assert_eq!(units(&fine).len(), 2, "{fine:?}");
        let ok = run(
            Syntax::Csv,
            b"id,text\n1,\"closed \"\"quote\"\"\"",
            Columns::default(),
            false,
        );
        assert_eq!(units(&ok)[0].text, "closed \"quote\"");
    }

    #[test]
    fn csv_bad_records_are_rejects_with_lines() {
        let data = b"id,text\n1,\n2\n3,ok\n4,\xff\xfe\n5,yes, no\n";
        let items = run(Syntax::Csv, data, Columns::default(), false);
        assert_eq!(units(&items).len(), 1);
        assert_eq!(
            rejects(&items),
            [
                (2, "text", "empty text"),
                (3, "record", "expected 2 fields as in the header, found 1"),
                (
                    5,
                    "text",
                    "invalid UTF-8 at byte 1 of the field; if the file is not UTF-8, give its encoding with --encoding"
                ),
                (
                    6,
                    "record",
                    "expected 2 fields as in the header, found 3; a field that holds ',' must be in double quotes"
                )
            ]
        );
    }

    #[test]
    fn conformance_tsv_reads_without_header() {
        let cols = Columns {
            text: Some(super::super::columns::ColumnRef::Index(3)),
            id: Some(super::super::columns::ColumnRef::Index(1)),
            ..Columns::default()
        };
        let items = run(
            Syntax::Tsv,
            b"1\t2.7\tSo \"good\"\tstill text\r\n2\t0\tbad\r\n",
            cols,
            true,
        );
        let u = units(&items);
        assert_eq!(u[0].text, "So \"good\"\tstill text");
        assert_eq!((u[1].id.as_str(), u[1].text.as_str()), ("2", "bad"));
    }

    #[test]
    fn jsonl_reddit_dump_needs_no_flags() {
        let data = br#"{"id":"a1","author":"x","body":"Top","created_utc":1530835200,"parent_id":"t3_p","link_id":"t3_p"}
{"id":"a2","author":"y","body":"Reply","created_utc":"1530838800","parent_id":"t1_a1","link_id":"t3_p"}
{"id":"a3","body":
{"id":"a4","data":{"body":"deep"}}
"#;
        let items = run(Syntax::Jsonl, data, Columns::default(), false);
        let u = units(&items);
        assert_eq!(u.len(), 2);
        assert_eq!(
            (u[0].parent_id.as_deref(), u[0].doc_id.as_str()),
            (None, "p")
        );
        assert_eq!(u[0].date.as_deref(), Some("2018-07-06T00:00:00Z"));
        assert_eq!(u[1].parent_id.as_deref(), Some("a1"));
        let r = rejects(&items);
        assert_eq!(r[0].0, 3);
        assert!(r[0].2.starts_with("invalid JSON"));
        assert_eq!(
            r[1],
            (
                4,
                "text",
                "missing text field; its keys: data, id; none is one of text, full_text, body, content, message, comment, comment_text, review (in any case): name the text's key with --text-column (a nested one as data.body)"
            )
        );
    }

    #[test]
    fn jsonl_default_names_match_in_any_case() {
        // As a CSV header's: the same export as CSV or JSONL gives the same units.
        let data = br#"{"ID":"t1_a1","Author":"x","Body":"Top","Created_UTC":1530835200,"Parent_ID":"t3_p"}
{"ID":"a2","Author":"y","Body":"Reply","Created_UTC":"1530838800","Parent_ID":"t1_a1","body":"exact"}
{"id":"a3","BODY":"upper","Body":"title"}
"#;
        let (items, chosen) = read_all(Syntax::Jsonl, data, Columns::default(), false);
        let u = units(&items);
        assert_eq!(u.len(), 3);
        assert_eq!(
            (u[0].id.as_str(), u[0].author.as_deref(), u[0].text.as_str()),
            ("a1", Some("x"), "Top")
        );
        assert_eq!(u[0].date.as_deref(), Some("2018-07-06T00:00:00Z"));
        assert_eq!(u[1].parent_id.as_deref(), Some("a1"));
        // A default name as written wins over it in another case, wherever it stands.
        assert_eq!(u[1].text, "exact");
        // Of two keys that are it in other cases, the first in byte order ("BODY" < "Body").
        assert_eq!(u[2].text, "upper");
        // The columns chosen name the keys as the first record writes them.
        assert_eq!(
            chosen.columns,
            [
                ("text", "Body"),
                ("id", "ID"),
                ("author", "Author"),
                ("date", "Created_UTC"),
                ("parent", "Parent_ID")
            ]
            .map(|(r, k)| (r, k.to_string()))
        );
    }

    #[test]
    fn a_twitter_export_needs_no_flags() {
        // The v1.1 API's tweets: the author is a field of the "user" object, the parent a number.
        let data = br#"{"created_at":"Tue Jun 05 10:00:00 +0000 2018","id":1005000000000000001,"text":"first","user":{"id":5,"name":"Ann B","screen_name":"annb"},"in_reply_to_status_id":null,"entities":{"urls":[]}}
{"created_at":"Tue Jun 05 11:00:00 +0000 2018","id":1005000000000000002,"text":"reply","user":{"name":"Bob"},"in_reply_to_status_id":1005000000000000001}
{"id":"3","text":"no author","user":{"id":7}}
"#;
        let (items, chosen) = read_all(Syntax::Jsonl, data, Columns::default(), false);
        let u = units(&items);
        assert_eq!(u.len(), 2);
        assert_eq!(
            (
                u[0].id.as_str(),
                u[0].author.as_deref(),
                u[0].date.as_deref()
            ),
            (
                "1005000000000000001",
                Some("annb"),
                Some("2018-06-05T10:00:00Z")
            )
        );
        assert_eq!(
            (u[1].author.as_deref(), u[1].parent_id.as_deref()),
            (Some("Bob"), Some("1005000000000000001"))
        );
        // An object without such a field is a bad field, as an array is.
        assert_eq!(
            rejects(&items),
            [(
                3,
                "author",
                "expected a string or a number, found an object"
            )]
        );
        assert_eq!(
            chosen.columns,
            [
                ("text", "text"),
                ("id", "id"),
                ("author", "user.screen_name"),
                ("date", "created_at"),
                ("parent", "in_reply_to_status_id")
            ]
            .map(|(r, k)| (r, k.to_string()))
        );
    }

    #[test]
    fn a_key_a_flag_names_that_no_record_has_is_noted() {
        let data = b"{\"ID\": \"a\", \"Body\": \"x\"}\n{\"ID\": \"b\", \"Body\": \"y\", \"Parent_ID\": \"a\"}\n";
        let cols = Columns {
            parent: Some(super::super::columns::ColumnRef::Name("parent_id".into())),
            ..Columns::default()
        };
        let (items, chosen) = read_all(Syntax::Jsonl, data, cols, false);
        assert_eq!(units(&items).len(), 2);
        assert_eq!(
            chosen.notes,
            [
                "in: no record has the key \"parent_id\" that --parent-column names (a key a flag names matches as written, case included): every record's parent is empty"
            ]
        );
        // Found in a later record than the first: chosen, and nothing to note.
        let cols = Columns {
            parent: Some(super::super::columns::ColumnRef::Name("Parent_ID".into())),
            ..Columns::default()
        };
        let (_, chosen) = read_all(Syntax::Jsonl, data, cols, false);
        assert!(chosen.notes.is_empty(), "{:?}", chosen.notes);
        assert_eq!(
            chosen.columns,
            [("text", "Body"), ("id", "ID"), ("parent", "Parent_ID")]
                .map(|(r, k)| (r, k.to_string()))
        );
    }

    #[test]
    fn a_jsonl_record_without_its_text_lists_its_keys() {
        let data = b"{\"Txt\": \"hi\", \"id\": 1}\n{}\n{\"text\": \"ok\"}\n";
        let items = run(Syntax::Jsonl, data, Columns::default(), false);
        let r = rejects(&items);
        assert_eq!(
            r[0],
            (
                1,
                "text",
                "missing text field; its keys: Txt, id; none is one of text, full_text, body, content, message, comment, comment_text, review (in any case): name the text's key with --text-column (a nested one as data.body)"
            )
        );
        assert_eq!(
            r[1],
            (
                2,
                "text",
                "missing text field: the record is an empty object"
            )
        );
        assert_eq!(r.len(), 2);
        let cols = Columns {
            text: Some(super::super::columns::ColumnRef::Name("data.body".into())),
            ..Columns::default()
        };
        let items = run(Syntax::Jsonl, b"{\"data\": {\"b\": 1}}\n", cols, false);
        let r = rejects(&items);
        assert_eq!(
            r[0],
            (
                1,
                "text",
                "missing text field \"data.body\" (--text-column); its keys: data"
            )
        );
    }

    #[test]
    fn jsonl_dotted_path() {
        let cols = Columns {
            text: Some(super::super::columns::ColumnRef::Name("data.body".into())),
            ..Columns::default()
        };
        let items = run(Syntax::Jsonl, br#"{"data":{"body":"deep"}}"#, cols, false);
        assert_eq!(units(&items)[0].text, "deep");
    }

    #[test]
    fn jsonl_on_a_pool_gives_the_items_and_columns_of_one_thread() {
        // Several blocks of lines, with what each line can be: a BOM, CRLF, blank lines, invalid UTF-8,
        // invalid JSON, a record that is no object, an object without a text (so that the columns come
        // from a later one, which is rejected for its text), nesting past the limit, a text of the wrong type, numbers as ids.
        let mut data =
            b"\xEF\xBB\xBF[1, 2]\r\n{\"other\": 1}\n\n{\"body\": 3, \"id\": \"x\"}\n".to_vec();
        let mut rng = crate::partial::bootstrap::SplitMix(7);
        for k in 0..3 * BLOCK_LINES + 17 {
            let line = match rng.below(12) {
                0 => "   ".to_string(),
                1 => "{\"body\": 3}".to_string(),
                2 => "{not json".to_string(),
                3 => "{\"a\": {\"b\": {\"c\": 1}}, \"body\": \"deep\"}".to_string(),
                4 => format!("{{\"id\": {k}, \"text\": \"number {k}\", \"author\": null}}"),
                5 => format!(
                    "{{\"name\": \"t1_{k}\", \"body\": \"reddit {k}\", \"created_utc\": 1530000000}}"
                ),
                _ => format!(
                    "{{\"id\": \"c{k}\", \"body\": \"comment {k}\", \"parent_id\": \"c{}\"}}",
                    k / 2
                ),
            };
            data.extend_from_slice(line.as_bytes());
            data.extend_from_slice(if k % 7 == 0 { b"\r\n" } else { b"\n" });
            if k % 1000 == 3 {
                data.extend_from_slice(b"{\"body\": \"bad \xff byte\"}\n");
            }
        }
        let cols = Columns::default();
        fn spec_on<'a>(cols: &'a Columns, pool: Option<&'a rayon::ThreadPool>) -> Spec<'a> {
            Spec {
                source: "in",
                doc: "in",
                columns: cols,
                no_header: false,
                keep_empty: false,
                delimiter: b',',
                max_json_depth: 2,
                pool,
                meta: true,
            }
        }
        let read_on = |pool: Option<&rayon::ThreadPool>| {
            let spec = spec_on(&cols, pool);
            let mut items = Vec::new();
            let chosen = read(Syntax::Jsonl, &mut &data[..], &spec, &mut |i| {
                items.push(i);
                Ok(())
            })
            .unwrap();
            (items, chosen)
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let (one, chosen) = read_on(None);
        let (many, chosen_many) = read_on(Some(&pool));
        assert!(one.len() > 2 * BLOCK_LINES, "{}", one.len());
        assert_eq!(rejects(&one).len(), rejects(&many).len());
        assert!(
            rejects(&one)
                .iter()
                .any(|r| r.2.starts_with("invalid UTF-8"))
        );
        assert!(
            rejects(&one)
                .iter()
                .any(|r| r.2.starts_with("JSON nested deeper"))
        );
        assert_eq!(one, many);
        assert_eq!(chosen, chosen_many);
        // An item per line that is not blank, with its number.
        let line_of = |i: &Item| match i {
            Item::Unit(u) => u.line,
            Item::Bad(r) => r.line,
        };
        let lines: Vec<u64> = data
            .split(|&b| b == b'\n')
            .zip(1..)
            .filter(|(l, _)| !l.trim_ascii().is_empty())
            .map(|(_, n)| n)
            .collect();
        assert_eq!(many.iter().map(line_of).collect::<Vec<_>>(), lines);
        // Each role's key as the first record that has one writes it (the first record has a body alone).
        assert_eq!(
            chosen.columns,
            [
                ("text", "body"),
                ("id", "id"),
                ("author", "author"),
                ("date", "created_utc"),
                ("parent", "parent_id")
            ]
            .map(|(r, k)| (r, k.to_string()))
        );
        // A sink that stops (a bad record without --skip-bad) stops the read at that item, on one thread
        // or with the blocks parsed on the pool.
        let stop_at = |pool: Option<&rayon::ThreadPool>, at: usize| {
            let spec = spec_on(&cols, pool);
            let mut seen = 0;
            let r = read(Syntax::Jsonl, &mut &data[..], &spec, &mut |_| {
                seen += 1;
                if seen == at {
                    return Err(Error::Flag {
                        flag: "sink".into(),
                        reason: "stop".into(),
                    });
                }
                Ok(())
            });
            (seen, r.map_err(|e| e.to_string()))
        };
        for at in [
            1,
            BLOCK_LINES,
            BLOCK_LINES + 1,
            2 * BLOCK_LINES + 7,
            one.len(),
        ] {
            let (seen, r) = stop_at(Some(&pool), at);
            assert_eq!((seen, r.is_err()), (at, true));
            assert_eq!(stop_at(None, at), (seen, r));
        }
    }
}
