//! Sniffing: what a file is from its first bytes, for stdin and for files whose extension does not say.
//!
//! Takes the head of the input (up to the reader's buffer, 64 KiB), gives a record format and, for CSV,
//! the delimiter. JSONL is a first line (blank lines aside) that opens a JSON object. CSV or TSV is a header line that splits,
//! on the delimiter found most often in it (`,` `;` tab `|`, outside quotes), into at least two fields, one
//! of which names the text column (the user's, or one of the default names). Anything else is left to the
//! page and plain-text readers, which is what a scraped article or a prose file is.

use super::Format;
use super::columns::{ColumnRef, Columns, Role};
use std::io::Read as _;

/// The delimiters a CSV header is tried with, in the order that breaks ties.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The first line of `head`, without a UTF-8 byte-order mark and line end (LF, CRLF or a lone CR, as
/// the readers take them).
fn first_line(head: &[u8]) -> &[u8] {
    lines(head).next().unwrap_or_default()
}

/// The lines of `head`, without a UTF-8 byte-order mark and line ends; the last may be cut short.
fn lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let mut rest = Some(head);
    std::iter::from_fn(move || {
        let h = rest?;
        match h.iter().position(|&b| b == b'\n' || b == b'\r') {
            Some(end) => {
                let skip = if h[end..].starts_with(b"\r\n") { 2 } else { 1 };
                rest = Some(&h[end + skip..]).filter(|r| !r.is_empty());
                Some(&h[..end])
            }
            None => {
                rest = None;
                Some(h)
            }
        }
    })
}

/// Whether `line` opens a JSON object: `{`, then a key's quote or the closing `}`. Neither a CSV header
/// nor prose starts so. The line need not be whole or valid: a record longer than the head is cut by
/// it, and the JSONL reader names an invalid line with its number.
fn opens_object(line: &[u8]) -> bool {
    match line.trim_ascii_start().split_first() {
        Some((b'{', rest)) => matches!(rest.trim_ascii_start().first(), Some(b'"' | b'}')),
        _ => false,
    }
}

/// How often each delimiter occurs in `line` outside double quotes.
fn counts(line: &[u8]) -> [usize; 4] {
    let mut n = [0; 4];
    let mut quoted = false;
    for &b in line {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(k) = DELIMITERS.iter().position(|&d| d == b) {
            n[k] += 1;
        }
    }
    n
}

/// The delimiter of a CSV file from its header line: the candidate found most often (comma on a tie or
/// when there is none).
pub fn delimiter(head: &[u8]) -> u8 {
    let n = counts(first_line(head));
    let mut best = 0;
    for k in 1..DELIMITERS.len() {
        if n[k] > n[best] {
            best = k;
        }
    }
    DELIMITERS[best]
}

/// How much of an input is read ahead to tell what it is.
pub const HEAD: u64 = 1 << 16;

/// Reads the head of `input` (up to [`HEAD`] bytes, fewer only at its end) and gives it back with the
/// rest of the input: a decoder or a pipe may hand out its first bytes a few at a time, and the head must
/// hold at least the first line.
pub fn peek<R: std::io::Read>(mut input: R) -> std::io::Result<(Vec<u8>, R)> {
    let mut head = Vec::new();
    std::io::Read::take(&mut input, HEAD).read_to_end(&mut head)?;
    Ok((head, input))
}

/// Refuses an input that no reader takes as it is, run and score alike, from its decoded `head`: UTF-16
/// without a byte-order mark or a file that is not text (when no `--encoding` was given), and an HTML
/// page (unless `--format` says how to read it). `path` is the input's, `source` its name in messages.
pub fn refuse_unreadable(
    head: &[u8],
    encoding: Option<&'static encoding_rs::Encoding>,
    format_given: bool,
    path: &std::path::Path,
    source: &str,
) -> crate::error::Result<()> {
    if encoding.is_none() {
        refuse_bare_utf16(head, source)?;
        refuse_binary(head, source)?;
    }
    if !format_given {
        refuse_html(head, has_extension(path, &["html", "htm"]), source)?;
    }
    Ok(())
}

/// Whether `path`'s extension is one of `exts` (lowercase), in any case.
pub fn has_extension(path: &std::path::Path, exts: &[&str]) -> bool {
    path.extension()
        .is_some_and(|e| exts.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The error for a whole input that cannot be read as records: at line 1, so that the message names the
/// file as a bad record's does.
pub fn whole_file(source: &str, field: &str, reason: String) -> crate::error::Error {
    crate::error::Error::Record {
        file: source.into(),
        line: 1,
        field: field.into(),
        reason,
    }
}

/// Refuses an input whose `head` [`looks_utf16`]: it would read as noise.
fn refuse_bare_utf16(head: &[u8], source: &str) -> crate::error::Result<()> {
    if looks_utf16(head) {
        return Err(whole_file(
            source,
            "encoding",
            "the file looks like UTF-16 without a byte-order mark (every other byte is 0): give --encoding utf-16le or utf-16be".into(),
        ));
    }
    Ok(())
}

/// Whether `head` looks like UTF-16 text without a byte-order mark: most of its even or odd bytes are 0,
/// which no UTF-8 text has.
pub fn looks_utf16(head: &[u8]) -> bool {
    let n = head.len().min(4096);
    if n < 8 {
        return false;
    }
    let zeros = |start: usize| {
        head[start..n]
            .iter()
            .step_by(2)
            .filter(|&&b| b == 0)
            .count()
    };
    // One parity mostly 0 and the other hardly ever (a binary file has zeros at both).
    let half = n / 2;
    let (even, odd) = (zeros(0), zeros(1));
    (even * 10 >= half * 7 && odd * 10 < half) || (odd * 10 >= half * 7 && even * 10 < half)
}

/// Refuses an input that is no text: more than 3 % of its head's bytes are control characters other than
/// tab, line feed, form feed and carriage return (an image, an archive, a program), which no CSV, JSON or
/// prose has. Called after [`refuse_bare_utf16`].
fn refuse_binary(head: &[u8], source: &str) -> crate::error::Result<()> {
    let head = &head[..head.len().min(4096)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c))
        .count();
    // A stray NUL or escape in a CSV field is text to keep (tests/bad_input.rs); a tenth of the
    // bytes of random data are controls, and more of a program's.
    if controls >= 8 && controls * 100 > 3 * head.len() {
        return Err(whole_file(
            source,
            "content",
            format!(
                "this is not text: {} % of its start is control characters{}, as in an image, archive or program; give a CSV, TSV, JSONL or text file (or --encoding, if it is text in an encoding such as UTF-16 without a byte-order mark)",
                // Of the head as decoded (a Windows-1252 guess makes some bytes two): a share, not a count.
                controls * 100 / head.len(),
                if head.contains(&0) {
                    " (NUL among them)"
                } else {
                    ""
                }
            ),
        ));
    }
    Ok(())
}

/// Refuses an HTML document, whose tags and scripts would be scored as prose: `html` says whether its
/// name ends in .html or .htm.
fn refuse_html(head: &[u8], html: bool, source: &str) -> crate::error::Result<()> {
    let start = String::from_utf8_lossy(&head[..head.len().min(1024)]).to_ascii_lowercase();
    let start = start.trim_start_matches('\u{feff}').trim_start();
    let opens = ["<!doctype html", "<html", "<head", "<body", "<?xml"]
        .iter()
        .find(|t| start.starts_with(*t));
    if html || opens.is_some() {
        let why = opens.map_or_else(
            || "its name ends in .html or .htm".to_string(),
            |t| format!("it opens with {t}"),
        );
        return Err(whole_file(
            source,
            "content",
            format!(
                "an HTML or XML document ({why}): its tags and scripts would be scored as prose. Save the page's text first (a browser's reader view and Save as text, or `pandoc -t plain page.html -o page.txt`) and give that, or give --format text to score the file as it is"
            ),
        ));
    }
    Ok(())
}

/// The record format of an input from its head, when it is a record format.
pub fn format(head: &[u8], columns: &Columns) -> Option<(Format, u8)> {
    // Blank lines before the first record are skipped, as the JSONL reader skips them. A first line that
    // is not an object (a log line, a stray header) does not hide JSON lines when most of the head's other
    // lines open an object: the reader then rejects that line with its number, where reading the whole
    // input as prose would score the JSON as text.
    let mut filled = lines(head).filter(|l| !l.trim_ascii().is_empty());
    let first = filled.next();
    if first.is_some_and(opens_object) {
        return Some((Format::Jsonl, b','));
    }
    let (objects, others) = filled.fold((0, 0), |(o, n), l| {
        if opens_object(l) {
            (o + 1, n)
        } else {
            (o, n + 1)
        }
    });
    if objects >= 2 && objects > others {
        return Some((Format::Jsonl, b','));
    }
    let line = std::str::from_utf8(first_line(head)).ok()?.trim();
    let d = delimiter(line.as_bytes());
    let fields: Vec<String> = line
        .split(char::from(d))
        .map(|f| f.trim().trim_matches('"').to_lowercase())
        .collect();
    if fields.len() < 2 {
        return None;
    }
    let names_text = match columns.get(Role::Text) {
        Some(c @ (ColumnRef::Name(_) | ColumnRef::Names(_))) => c
            .names()
            .iter()
            .any(|n| fields.iter().any(|f| f.eq_ignore_ascii_case(n))),
        Some(ColumnRef::Index(_)) => true,
        None => fields
            .iter()
            .any(|f| Role::Text.defaults().contains(&f.as_str())),
    };
    names_text.then_some(if d == b'\t' {
        (Format::Tsv, d)
    } else {
        (Format::Csv, d)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonl_csv_tsv_and_prose_are_told_apart() {
        let none = Columns::default();
        assert_eq!(
            format(b"{\"body\": \"hi\"}\n{\"body\": \"yo\"}\n", &none),
            Some((Format::Jsonl, b','))
        );
        assert_eq!(
            format(
                b"comment_id;user;posted_at;message\n1;a;2018-07-06;hi\n",
                &none
            ),
            Some((Format::Csv, b';'))
        );
        assert_eq!(
            format(b"\xEF\xBB\xBFid,text\r\n1,hi\r\n", &none),
            Some((Format::Csv, b','))
        );
        assert_eq!(
            format(b"id\tauthor\ttext\n", &none),
            Some((Format::Tsv, b'\t'))
        );
        assert_eq!(
            format(b"id|text|author\n", &none),
            Some((Format::Csv, b'|'))
        );
        // Prose with commas is not a header: no field names the text.
        assert_eq!(
            format(b"Xiaomi will come to the US, and soon, they say.\n", &none),
            None
        );
        assert_eq!(format(b"{not json\n", &none), None);
    }

    #[test]
    fn jsonl_is_told_by_its_first_record_even_when_cut_invalid_or_after_blank_lines() {
        let none = Columns::default();
        let jsonl = Some((Format::Jsonl, b','));
        // A record longer than the head: the head ends inside it.
        assert_eq!(format(b"{\"id\": 1, \"text\": \"nice nice", &none), jsonl);
        // Invalid JSON in the first record: still JSONL, so that the reader names the line.
        assert_eq!(
            format(b"{\"text\": \"a\",}\n{\"text\": \"b\"}\n", &none),
            jsonl
        );
        assert_eq!(format(b"\n\r\n  \n{\"text\": \"a\"}\n", &none), jsonl);
        assert_eq!(format(b"\xEF\xBB\xBF { } \n", &none), jsonl);
        // Lone CR line ends (classic Mac OS).
        assert_eq!(
            format(b"{\"text\": \"a\"}\r{\"text\": \"b\"}\r", &none),
            jsonl
        );
        assert_eq!(
            format(b"id,text\r1,hi\r2,yo\r", &none),
            Some((Format::Csv, b','))
        );
        assert_eq!(delimiter(b"a;text\rx,y,z,w\r"), b';');
        assert_eq!(
            format(b"{\n  \"text\": \"pretty-printed\"\n}\n", &none),
            None
        );
        // A stray first line before JSON lines.
        assert_eq!(
            format(
                b"garbage from a log\n{\"text\": \"a\"}\n{\"text\": \"b\"}\n",
                &none
            ),
            jsonl
        );
        // Prose that quotes one JSON object is prose.
        assert_eq!(
            format(
                b"An example:\n{\"text\": \"a\"}\nand more prose\nhere.\n",
                &none
            ),
            None
        );
    }

    #[test]
    fn utf16_without_a_bom_is_recognised() {
        let utf16: Vec<u8> = "id,text\n1,hello there\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert!(looks_utf16(&utf16));
        assert!(!looks_utf16(b"id,text\n1,hello there\n"));
    }

    #[test]
    fn the_delimiter_is_the_commonest_outside_quotes() {
        assert_eq!(delimiter(b"\"a;b\",c,d\n"), b',');
        assert_eq!(delimiter(b"a;b;c,d\n"), b';');
        assert_eq!(delimiter(b"single\n"), b',');
    }
}

/// How an input's bytes became UTF-8, when that is worth telling the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guess {
    /// The head is not UTF-8 and no encoding was given, so the input is read as Windows-1252, the
    /// commonest encoding of legacy spreadsheet and CMS exports (every byte is a character in it, and
    /// Latin-1 text reads the same). `line` and `byte` are those of the first byte that is not UTF-8.
    Windows1252 {
        /// The line (from 1) of the first byte that is not UTF-8.
        line: usize,
        /// That byte.
        byte: u8,
    },
}

impl Guess {
    /// The warning for `source`.
    pub fn describe(&self, source: &str) -> String {
        match self {
            Guess::Windows1252 { line, byte } => format!(
                "{source}: not UTF-8 (line {line} has the byte 0x{byte:02X}), so it is read as Windows-1252; give --encoding to name its encoding, or --encoding utf-8 to reject the lines that are not UTF-8"
            ),
        }
    }
}

/// An input decoded to UTF-8: its head, the rest, the guess made, if any, and the name of the encoding
/// it was read as.
pub type Decoded<'a> = (
    Vec<u8>,
    Box<dyn std::io::Read + 'a>,
    Option<Guess>,
    &'static str,
);

/// Decodes `raw` to UTF-8 and gives its head (as [`peek`] does), the rest, and the guess made, if any:
/// - `--encoding utf-8`: strict, the bytes pass unchanged and the readers reject a record that is not
///   UTF-8, naming its line;
/// - another `--encoding`: that encoding (a byte-order mark does not override it);
/// - none: UTF-16 by its byte-order mark, else UTF-8 passed through unchanged; but a head that holds a
///   byte sequence UTF-8 cannot have (not one cut short at the head's end) and no UTF-8 byte-order mark
///   is read as Windows-1252, with a [`Guess`]. Bytes past the head that are not UTF-8 are still
///   rejected with their line.
pub fn decode<'a, R: std::io::Read + 'a>(
    raw: R,
    encoding: Option<&'static encoding_rs::Encoding>,
) -> std::io::Result<Decoded<'a>> {
    let builder = |e| {
        let mut b = encoding_rs_io::DecodeReaderBytesBuilder::new();
        b.encoding(e)
            .bom_override(false)
            .utf8_passthru(true)
            .strip_bom(false);
        b
    };
    if encoding == Some(encoding_rs::UTF_8) {
        let (head, rest) = peek(raw)?;
        return Ok((head, Box::new(rest), None, "UTF-8"));
    }
    if let Some(e) = encoding {
        let (head, rest) = peek(builder(encoding).build(raw))?;
        return Ok((head, Box::new(rest), None, e.name()));
    }
    let (raw_head, rest) = peek(raw)?;
    let guess = legacy(&raw_head);
    let name = if guess.is_some() {
        encoding_rs::WINDOWS_1252.name()
    } else if raw_head.starts_with(b"\xFF\xFE") {
        "UTF-16LE"
    } else if raw_head.starts_with(b"\xFE\xFF") {
        "UTF-16BE"
    } else {
        "UTF-8"
    };
    let joined = std::io::Read::chain(std::io::Cursor::new(raw_head), rest);
    let chosen = guess.map(|_| encoding_rs::WINDOWS_1252);
    let (head, rest) = peek(builder(chosen).build(joined))?;
    Ok((head, Box::new(rest), guess, name))
}

/// The guess for a head that is not UTF-8 (see [`decode`]); `None` for UTF-8, for a byte-order mark, and
/// for UTF-16 without one (which [`looks_utf16`] reports).
fn legacy(head: &[u8]) -> Option<Guess> {
    if head.starts_with(b"\xEF\xBB\xBF")
        || head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
        || looks_utf16(head)
    {
        return None;
    }
    let e = std::str::from_utf8(head).err()?;
    e.error_len()?;
    let at = e.valid_up_to();
    Some(Guess::Windows1252 {
        line: 1 + head[..at].iter().filter(|&&b| b == b'\n').count(),
        byte: head[at],
    })
}

/// The input again, from its head (as [`peek`] gave it) and the rest, buffered for the readers; a file
/// whose lines end in a lone CR has them turned into LF, so that its line numbers are an editor's.
pub fn rejoin<'a, R: std::io::Read + 'a>(head: Vec<u8>, rest: R) -> Box<dyn std::io::BufRead + 'a> {
    let cr = cr_line_ends(&head);
    let chained = std::io::Read::chain(std::io::Cursor::new(head), rest);
    if cr {
        Box::new(std::io::BufReader::with_capacity(1 << 16, CrToLf(chained)))
    } else {
        Box::new(std::io::BufReader::with_capacity(1 << 16, chained))
    }
}

/// Whether a file's head uses a lone CR as its line end (classic Mac OS): a CR and no LF at all.
fn cr_line_ends(head: &[u8]) -> bool {
    head.contains(&b'\r') && !head.contains(&b'\n')
}

/// Turns every CR into LF, for a file whose lines end in a lone CR, so that its records' line numbers
/// count its lines as a text editor does.
struct CrToLf<R>(R);

impl<R: std::io::Read> std::io::Read for CrToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.0.read(buf)?;
        for b in &mut buf[..k] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(k)
    }
}

#[cfg(test)]
mod cr_tests {
    use super::*;
    use std::io::Read;

    fn decoded(
        raw: &[u8],
        encoding: Option<&'static encoding_rs::Encoding>,
    ) -> (String, Option<Guess>) {
        let (head, mut rest, guess, _) = decode(raw, encoding).unwrap();
        let mut all = head;
        rest.read_to_end(&mut all).unwrap();
        (String::from_utf8_lossy(&all).into_owned(), guess)
    }

    #[test]
    fn a_head_that_is_not_utf8_is_read_as_windows_1252_and_said_so() {
        let raw = b"id,text\n1,ok\n2,caf\xE9 \x93quoted\x94 \x80\n";
        assert_eq!(
            decoded(raw, None),
            (
                "id,text\n1,ok\n2,caf\u{e9} \u{201c}quoted\u{201d} \u{20ac}\n".into(),
                Some(Guess::Windows1252 {
                    line: 3,
                    byte: 0xE9
                })
            )
        );
        // UTF-8, a UTF-8 head cut short, and UTF-16 by its mark are not guessed at.
        assert_eq!(
            decoded("caf\u{e9}".as_bytes(), None),
            ("caf\u{e9}".into(), None)
        );
        assert_eq!(legacy(b"caf\xC3"), None);
        assert_eq!(decoded(b"\xFF\xFEa\x00", None), ("a".into(), None));
        // --encoding utf-8 passes the bytes through for the readers to reject, with no guess.
        let (text, guess) = decoded(raw, Some(encoding_rs::UTF_8));
        assert!(text.contains('\u{FFFD}') && guess.is_none());
        // A given encoding is used as given.
        assert_eq!(
            decoded(b"\xE9", Some(encoding_rs::WINDOWS_1252)).0,
            "\u{e9}"
        );
    }

    #[test]
    fn lone_cr_line_ends_become_lf() {
        assert!(cr_line_ends(b"id,text\ra,b\r"));
        assert!(!cr_line_ends(b"id,text\r\na,b\r\n"));
        assert!(!cr_line_ends(b"id,text\na,b\n"));
        let mut s = String::new();
        CrToLf(&b"id,text\ra,b\r"[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "id,text\na,b\n");
    }
}
