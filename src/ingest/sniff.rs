//! Sniffing: what a file is from its first bytes, for stdin and for files whose extension does not say.
//!
//! Takes the head of the input (up to the reader's buffer, 64 KiB), gives a record format and, for CSV,
//! the delimiter. JSONL is a first line that is a JSON object. CSV or TSV is a header line that splits,
//! on the delimiter found most often in it (`,` `;` tab `|`, outside quotes), into at least two fields, one
//! of which names the text column (the user's, or one of the default names). Anything else is left to the
//! page and plain-text readers, which is what a scraped article or a prose file is.

use super::Format;
use super::columns::{ColumnRef, Columns, Role};
use std::io::Read as _;

/// The delimiters a CSV header is tried with, in the order that breaks ties.
pub const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// The first line of `head`, without a UTF-8 byte-order mark and line end.
fn first_line(head: &[u8]) -> &[u8] {
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = &head[..end];
    line.strip_suffix(b"\r").unwrap_or(line)
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
    let half = n / 2;
    zeros(0) * 10 >= half * 7 || zeros(1) * 10 >= half * 7
}

/// The record format of an input from its head, when it is a record format.
pub fn format(head: &[u8], columns: &Columns) -> Option<(Format, u8)> {
    let line = std::str::from_utf8(first_line(head)).ok()?.trim();
    if line.starts_with('{') {
        return serde_json::from_str::<serde_json::Value>(line)
            .ok()
            .filter(serde_json::Value::is_object)
            .map(|_| (Format::Jsonl, b','));
    }
    let d = delimiter(line.as_bytes());
    let fields: Vec<String> = line
        .split(char::from(d))
        .map(|f| f.trim().trim_matches('"').to_lowercase())
        .collect();
    if fields.len() < 2 {
        return None;
    }
    let names_text = match columns.get(Role::Text) {
        Some(ColumnRef::Name(n)) => fields.iter().any(|f| f.eq_ignore_ascii_case(n)),
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
