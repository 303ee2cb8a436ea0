//! The scraped article page layout (the seed's): title, paragraphs, headings, captions, page furniture,
//! then threaded comments `• Author Mon D, YYYY Link to comment` whose reply depth is their indentation.
//!
//! Takes the page text, gives units in page order and a list of the blocks left out as layout.

use crate::model::{Kind, Unit};
use regex::Regex;
use std::sync::LazyLock;

/// Page furniture that is never scored. Matched against a whole trimmed line.
const BOILERPLATE: &[&str] = &[
    r"^Liked this article\? Share now!$",
    r"^Join the discussion$",
    r"^Latest articles$",
    r"^Recommended articles$",
    r"^Write new comment:$",
    r"^All changes will be saved\..*$",
    r"^Source: .+$",
    r"^Link to comment$",
];

static BOILER: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    BOILERPLATE
        .iter()
        .map(|p| Regex::new(p).expect("valid pattern"))
        .collect()
});
static COMMENT_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\s*)•\s+(.+?)\s+([A-Z][a-z]{2})[a-z]*\.? (\d{1,2}), (\d{4})\s+Link to comment\s*$",
    )
    .expect("valid pattern")
});
/// A line that means to be a comment head (a bullet, then `Link to comment`) whether or not its author
/// and date can be read: one that [`COMMENT_HEAD`] does not take is a rejected record, not body text.
static LOOSE_HEAD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*•\s+.*\bLink to comment\s*$").expect("valid pattern"));
static CREDIT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(.*?)\s*/\s*©\s*\S.*$").expect("valid pattern"));

/// A block of the page that is not scored, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Skipped {
    /// The 1-based line where the block starts.
    pub line: u64,
    /// Why it is not a unit: boilerplate, duplicate title, image label, pull quote.
    pub reason: &'static str,
    /// The block's text.
    pub text: String,
}

/// What a page gives.
#[derive(Debug, Default)]
pub struct Page {
    /// The units in page order.
    pub units: Vec<Unit>,
    /// The layout blocks left out.
    pub skipped: Vec<Skipped>,
    /// Comments that could not be read: (line, field, reason). Their text is not merged into another.
    pub rejects: Vec<(u64, &'static str, String)>,
}

struct Block {
    line: u64,
    lines: Vec<String>,
}

/// Parses a page. `doc_id` names the document; `source` is the file name recorded in provenance.
pub fn parse(text: &str, doc_id: &str, source: &str) -> Page {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let first_comment = lines
        .iter()
        .position(|l| COMMENT_HEAD.is_match(l))
        .unwrap_or(lines.len());
    let mut page = Page::default();
    article(&lines[..first_comment], doc_id, source, &mut page);
    comments(
        &lines[first_comment..],
        first_comment as u64,
        doc_id,
        source,
        &mut page,
    );
    page
}

fn blocks(lines: &[&str], offset: u64) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut cur: Option<Block> = None;
    for (k, l) in lines.iter().enumerate() {
        let t = l.trim();
        if t.is_empty() {
            out.extend(cur.take());
        } else {
            cur.get_or_insert_with(|| Block {
                line: offset + k as u64 + 1,
                lines: Vec::new(),
            })
            .lines
            .push(t.to_string());
        }
    }
    out.extend(cur);
    out
}

fn is_boilerplate(line: &str) -> bool {
    BOILER.iter().any(|r| r.is_match(line))
}

/// A standalone line that reads as a subheading: short, and not ending like a sentence.
fn looks_like_heading(line: &str) -> bool {
    let words = line.split_whitespace().count();
    (2..=14).contains(&words) && !line.ends_with(['.', ':', ',', ';', '!', '"', '”', '’'])
}

fn article(lines: &[&str], doc_id: &str, source: &str, page: &mut Page) {
    let mut title: Option<String> = None;
    let mut counters = [0usize; 4];
    let all = blocks(lines, 0);
    let joined: Vec<String> = all.iter().map(|b| b.lines.join(" ")).collect();
    for (bi, b) in all.iter().enumerate() {
        let whole = &joined[bi];
        let skip = |reason, page: &mut Page| {
            page.skipped.push(Skipped {
                line: b.line,
                reason,
                text: whole.clone(),
            });
        };
        if b.lines.iter().all(|l| is_boilerplate(l)) {
            skip("boilerplate", page);
            continue;
        }
        let kind = if title.is_none() {
            title = Some(whole.clone());
            Kind::Title
        } else if title.as_deref() == Some(whole.as_str()) {
            skip("repeated title", page);
            continue;
        } else if let Some(pos) = b.lines.iter().position(|l| CREDIT.is_match(l)) {
            // An image label line, then the caption with its photo credit.
            for l in &b.lines[..pos] {
                page.skipped.push(Skipped {
                    line: b.line,
                    reason: "image label",
                    text: l.clone(),
                });
            }
            let caption = CREDIT
                .captures(&b.lines[pos])
                .map(|c| c[1].to_string())
                .unwrap_or_default();
            push(
                page,
                &mut counters,
                Kind::Caption,
                caption,
                b.line + pos as u64,
                doc_id,
                source,
            );
            continue;
        } else if is_pull_quote(whole, &joined, bi) {
            skip("pull quote (repeats a paragraph)", page);
            continue;
        } else if b.lines.len() == 1 && looks_like_heading(whole) {
            Kind::Heading
        } else {
            Kind::Paragraph
        };
        push(
            page,
            &mut counters,
            kind,
            b.lines.join("\n"),
            b.line,
            doc_id,
            source,
        );
    }
}

/// A quoted line that repeats a sentence of another block: the page's decoration, not new text.
fn is_pull_quote(whole: &str, all: &[String], me: usize) -> bool {
    let inner = whole.trim_matches(|c| matches!(c, '"' | '“' | '”'));
    inner.len() < whole.len()
        && !inner.is_empty()
        && all
            .iter()
            .enumerate()
            .any(|(k, other)| k != me && other.contains(inner))
}

fn push(
    page: &mut Page,
    counters: &mut [usize; 4],
    kind: Kind,
    text: String,
    line: u64,
    doc_id: &str,
    source: &str,
) {
    let (slot, prefix) = match kind {
        Kind::Title => (0, "t"),
        Kind::Heading => (1, "h"),
        Kind::Caption => (2, "f"),
        _ => (3, "p"),
    };
    counters[slot] += 1;
    page.units.push(Unit {
        id: format!("{prefix}{:02}", counters[slot]),
        doc_id: doc_id.to_string(),
        kind: Some(kind),
        source: source.to_string(),
        line,
        text,
        ..Unit::default()
    });
}

fn month(abbr: &str) -> Option<u32> {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    M.iter().position(|m| *m == abbr).map(|k| k as u32 + 1)
}

fn comments(lines: &[&str], offset: u64, doc_id: &str, source: &str, page: &mut Page) {
    // Open comments by indentation: a head pops every comment indented as deep or deeper.
    let mut open: Vec<(usize, String, String)> = Vec::new(); // (indent, id, thread root)
    let mut current: Option<(Unit, Vec<String>)> = None;
    let mut n = 0;
    let finish = |cur: Option<(Unit, Vec<String>)>, page: &mut Page| {
        if let Some((mut u, body)) = cur {
            u.text = body.join("\n").trim().to_string();
            page.units.push(u);
        }
    };
    // True while the body lines of a rejected comment go by: they belong to it, not to the one before.
    let mut in_rejected = false;
    for (k, l) in lines.iter().enumerate() {
        let line_no = offset + k as u64 + 1;
        let head = COMMENT_HEAD.captures(l);
        let date = head.as_ref().map(|c| {
            let day = c[4].parse::<u32>().unwrap_or(0);
            month(&c[3]).and_then(|m| {
                let iso = format!("{}-{m:02}-{day:02}", &c[5]);
                super::dates::to_iso(&iso).map(|_| iso)
            })
        });
        if head.is_none() && LOOSE_HEAD.is_match(l) || matches!(date, Some(None)) {
            finish(current.take(), page);
            n += 1;
            let (field, why) = if head.is_some() {
                ("date", "is not a date of the form Jul 6, 2018")
            } else {
                (
                    "comment header",
                    "is not of the form • Author Mon D, YYYY Link to comment",
                )
            };
            page.rejects
                .push((line_no, field, format!("{:?} {why}", l.trim())));
            // Its replies still name it as their parent, by its place in the numbering.
            let indent = l.chars().take_while(|c| c.is_whitespace()).count();
            while open.last().is_some_and(|(i, _, _)| *i >= indent) {
                open.pop();
            }
            let id = format!("c{n:02}");
            let root = open
                .first()
                .map_or_else(|| id.clone(), |(_, _, r)| r.clone());
            open.push((indent, id, root));
            in_rejected = true;
            continue;
        }
        if let Some(c) = head {
            in_rejected = false;
            let date = date.flatten();
            finish(current.take(), page);
            n += 1;
            let indent = c[1].chars().count();
            while open.last().is_some_and(|(i, _, _)| *i >= indent) {
                open.pop();
            }
            let id = format!("c{n:02}");
            let parent = open.last().map(|(_, p, _)| p.clone());
            let root = open
                .first()
                .map_or_else(|| id.clone(), |(_, _, r)| r.clone());
            let unit = Unit {
                id: id.clone(),
                doc_id: doc_id.to_string(),
                kind: Some(Kind::Comment),
                author: Some(c[2].trim().to_string()),
                date,
                parent_id: parent,
                depth: open.len() as u32,
                thread_root: Some(root.clone()),
                source: source.to_string(),
                line: line_no,
                text: String::new(),
            };
            open.push((indent, id, root));
            current = Some((unit, Vec::new()));
        } else if is_boilerplate(l.trim()) {
            in_rejected = false;
            if !l.trim().is_empty() {
                page.skipped.push(Skipped {
                    line: line_no,
                    reason: "boilerplate",
                    text: l.trim().into(),
                });
            }
            finish(current.take(), page);
        } else if in_rejected {
            // The text of the rejected comment, which its reject accounts for.
        } else if let Some((_, body)) = current.as_mut() {
            body.push(l.trim().to_string());
        } else if !l.trim().is_empty() {
            page.skipped.push(Skipped {
                line: line_no,
                reason: "text outside any comment",
                text: l.trim().into(),
            });
        }
    }
    finish(current, page);
    // A blank line inside a comment separates its paragraphs; collapse runs of them to one.
    for u in page
        .units
        .iter_mut()
        .filter(|u| u.kind == Some(Kind::Comment))
    {
        while u.text.contains("\n\n\n") {
            u.text = u.text.replace("\n\n\n", "\n\n");
        }
    }
}

/// Whether `text` has the page layout: at least one `• Author Date Link to comment` head.
pub fn is_page(text: &str) -> bool {
    text.lines().any(|l| COMMENT_HEAD.is_match(l))
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "My title\n\nMy title\n\nFirst paragraph.\n\nA short heading here\n\nLabel\nA caption. / © Someone\n\nSource: Reuters\n\n  • Ann B. Jul 6, 2018 Link to comment\n\n    Hello there.\n\n    Second para.\n\n    • Bob Jul 7, 2018 Link to comment\n\n      Reply.\n\n  • Cy Aug 1, 2019 Link to comment\n\n    Top.\n\nWrite new comment:\n";

    #[test]
    fn layout_blocks_become_kinds() {
        let p = parse(PAGE, "d", "f.txt");
        let kinds: Vec<_> = p
            .units
            .iter()
            .map(|u| (u.id.as_str(), u.kind.unwrap()))
            .collect();
        assert_eq!(
            kinds,
            [
                ("t01", Kind::Title),
                ("p01", Kind::Paragraph),
                ("h01", Kind::Heading),
                ("f01", Kind::Caption),
                ("c01", Kind::Comment),
                ("c02", Kind::Comment),
                ("c03", Kind::Comment)
            ]
        );
        assert_eq!(p.units[3].text, "A caption.");
        let reasons: Vec<_> = p.skipped.iter().map(|s| s.reason).collect();
        assert_eq!(
            reasons,
            [
                "repeated title",
                "image label",
                "boilerplate",
                "boilerplate"
            ]
        );
    }

    #[test]
    fn comments_keep_paragraphs_threads_and_dates() {
        let p = parse(PAGE, "d", "f.txt");
        let c: Vec<_> = p
            .units
            .iter()
            .filter(|u| u.kind == Some(Kind::Comment))
            .collect();
        assert_eq!(c[0].text, "Hello there.\n\nSecond para.");
        assert_eq!(c[0].author.as_deref(), Some("Ann B."));
        assert_eq!(c[0].date.as_deref(), Some("2018-07-06"));
        assert_eq!((c[1].parent_id.as_deref(), c[1].depth), (Some("c01"), 1));
        assert_eq!(c[1].thread_root.as_deref(), Some("c01"));
        assert_eq!((c[2].parent_id.as_deref(), c[2].depth), (None, 0));
        assert_eq!(c[2].date.as_deref(), Some("2019-08-01"));
        assert_eq!(c[1].line, 20);
    }
}
