//! Column mapping: which field of a record holds the text, id, author, date, parent and kind.
//!
//! Takes flags or config values (`body`, `3`, `data.body`), gives resolved field positions or paths.

use crate::error::{Error, Result};

/// A column chosen by header name (or dotted JSON path) or by 1-based index.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(try_from = "ColumnValue")]
pub enum ColumnRef {
    /// A header name, or a dotted path into a JSON object.
    Name(String),
    /// A 1-based column index.
    Index(usize),
    /// Several names (`Posted by|User Name`): the first that a file's header (or a JSON record) has, so
    /// that one run reads exports that name a column differently.
    Names(Vec<String>),
}

impl ColumnRef {
    /// The names or paths it gives, in order of preference; none for an index.
    pub fn names(&self) -> &[String] {
        match self {
            ColumnRef::Name(n) => std::slice::from_ref(n),
            ColumnRef::Names(v) => v,
            ColumnRef::Index(_) => &[],
        }
    }

    /// The names as a flag gives them: `"body"`, or `"Posted by" or "User Name"`.
    pub fn quoted(&self) -> String {
        let q: Vec<String> = self.names().iter().map(|n| format!("{n:?}")).collect();
        q.join(" or ")
    }
}

/// A column as a config file gives it: a name, a number, or a list of names.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum ColumnValue {
    Index(i64),
    Name(String),
    Names(Vec<String>),
}

/// Why a column value is not one.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadColumn(String);

impl TryFrom<ColumnValue> for ColumnRef {
    type Error = BadColumn;
    fn try_from(v: ColumnValue) -> std::result::Result<ColumnRef, BadColumn> {
        match v {
            ColumnValue::Index(k) => usize::try_from(k)
                .ok()
                .filter(|&k| k >= 1)
                .map(ColumnRef::Index)
                .ok_or_else(|| BadColumn(format!("column index {k} must be 1 or more"))),
            ColumnValue::Name(n) => n.parse(),
            ColumnValue::Names(v) => v.join("|").parse(),
        }
    }
}

impl std::str::FromStr for ColumnRef {
    type Err = BadColumn;
    /// A positive integer is an index, anything else a name.
    fn from_str(value: &str) -> std::result::Result<ColumnRef, BadColumn> {
        let v = value.trim();
        if v.is_empty() {
            return Err(BadColumn(
                "a column name or 1-based index is required".into(),
            ));
        }
        if v.contains('|') {
            let names: Vec<String> = v.split('|').map(|n| n.trim().to_string()).collect();
            if names.iter().any(String::is_empty) {
                return Err(BadColumn(format!(
                    "{v:?}: each name of a list (A|B) must be non-empty"
                )));
            }
            return Ok(ColumnRef::Names(names));
        }
        match v.parse::<i64>() {
            Ok(k) if k >= 1 => Ok(ColumnRef::Index(k as usize)),
            Ok(_) => Err(BadColumn(format!("column index {v} must be 1 or more"))),
            Err(_) => Ok(ColumnRef::Name(v.to_string())),
        }
    }
}

/// The roles a column can play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The text to score (required).
    Text,
    /// The record's id.
    Id,
    /// Its author.
    Author,
    /// Its date.
    Date,
    /// The id of the record it replies to.
    Parent,
    /// Its kind (comment, paragraph, ...).
    Kind,
    /// The document or thread it belongs to.
    Doc,
}

impl Role {
    /// All roles, text first.
    pub const ALL: [Role; 7] = [
        Role::Text,
        Role::Id,
        Role::Author,
        Role::Date,
        Role::Parent,
        Role::Kind,
        Role::Doc,
    ];

    /// The flag that sets this role.
    pub fn flag(self) -> &'static str {
        match self {
            Role::Text => "--text-column",
            Role::Id => "--id-column",
            Role::Author => "--author-column",
            Role::Date => "--date-column",
            Role::Parent => "--parent-column",
            Role::Kind => "--kind-column",
            Role::Doc => "--doc-column",
        }
    }

    /// Whether the field is one besides the text and the id: what `run`'s tables use and `score`, which
    /// writes only the id and the scores, does not read ([`super::records::Spec::meta`]).
    pub fn is_meta(self) -> bool {
        !matches!(self, Role::Text | Role::Id)
    }

    /// Names tried, in order, when the user names no column: they fit common exports and Reddit dumps.
    pub fn defaults(self) -> &'static [&'static str] {
        match self {
            Role::Text => &[
                "text",
                "full_text",
                "body",
                "content",
                "message",
                "comment",
                "comment_text",
                "review",
            ],
            Role::Id => &["id", "comment_id", "post_id", "uuid"],
            Role::Author => &["author", "user", "username", "screen_name", "name"],
            Role::Date => &[
                "date",
                "created_at",
                "created_utc",
                "posted_at",
                "timestamp",
                "time",
                "published",
                "created",
            ],
            Role::Parent => &[
                "parent_id",
                "in_reply_to_status_id_str",
                "in_reply_to_status_id",
            ],
            Role::Kind => &["kind"],
            Role::Doc => &["doc_id", "link_id"],
        }
    }
}

/// The user's column choices, from `--<role>-column` flags or a config file's `[columns]` (the same
/// type, merged with [`Columns::or`]); `None` means "try the defaults". A name (or dotted JSON path), or
/// a 1-based index.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[cfg_attr(feature = "cli", derive(clap::Args))]
#[serde(deny_unknown_fields)]
pub struct Columns {
    /// Text column [default: the first of text, full_text, body, content, message, comment, comment_text, review].
    #[cfg_attr(feature = "cli", arg(long = "text-column", value_name = "NAME|N"))]
    pub text: Option<ColumnRef>,
    /// Id column [default: the first of id, comment_id, post_id, uuid].
    #[cfg_attr(feature = "cli", arg(long = "id-column", value_name = "NAME|N"))]
    pub id: Option<ColumnRef>,
    /// Author column [default: the first of author, user, username, screen_name, name].
    #[cfg_attr(feature = "cli", arg(long = "author-column", value_name = "NAME|N"))]
    pub author: Option<ColumnRef>,
    /// Date column: ISO 8601, Unix seconds, RFC 2822 or Twitter's created_at [default: the first of date, created_at, created_utc,
    /// posted_at, timestamp, time, published, created].
    #[cfg_attr(feature = "cli", arg(long = "date-column", value_name = "NAME|N"))]
    pub date: Option<ColumnRef>,
    /// Parent id column, for reply threads [default: parent_id, in_reply_to_status_id_str or in_reply_to_status_id].
    #[cfg_attr(feature = "cli", arg(long = "parent-column", value_name = "NAME|N"))]
    pub parent: Option<ColumnRef>,
    /// Kind column: title, heading, paragraph, caption or comment [default: kind].
    #[cfg_attr(feature = "cli", arg(long = "kind-column", value_name = "NAME|N"))]
    pub kind: Option<ColumnRef>,
    /// Document or thread column [default: doc_id or link_id].
    #[cfg_attr(feature = "cli", arg(long = "doc-column", value_name = "NAME|N"))]
    pub doc: Option<ColumnRef>,
}

impl Columns {
    /// These choices, with `other`'s where these have none: flags first, then the config file.
    #[must_use]
    pub fn or(self, other: Columns) -> Columns {
        Columns {
            text: self.text.or(other.text),
            id: self.id.or(other.id),
            author: self.author.or(other.author),
            date: self.date.or(other.date),
            parent: self.parent.or(other.parent),
            kind: self.kind.or(other.kind),
            doc: self.doc.or(other.doc),
        }
    }

    /// The user's choice for `role`.
    pub fn get(&self, role: Role) -> Option<&ColumnRef> {
        match role {
            Role::Text => self.text.as_ref(),
            Role::Id => self.id.as_ref(),
            Role::Author => self.author.as_ref(),
            Role::Date => self.date.as_ref(),
            Role::Parent => self.parent.as_ref(),
            Role::Kind => self.kind.as_ref(),
            Role::Doc => self.doc.as_ref(),
        }
    }

    /// Resolves each role to a 0-based field position against a header (or, without one, indices only).
    /// A chosen column that does not exist is an error naming the flag; defaults are optional.
    pub fn resolve(&self, header: Option<&[String]>, file: &str) -> Result<Resolved> {
        let mut pos = [None; 7];
        for (slot, role) in Role::ALL.into_iter().enumerate() {
            pos[slot] = match (self.get(role), header) {
                (Some(ColumnRef::Index(k)), _) => Some(k - 1),
                (Some(ColumnRef::Name(name)), Some(h)) => Some(
                    h.iter()
                        .position(|c| c == name)
                        .ok_or_else(|| Error::Flag {
                            flag: role.flag().into(),
                            reason: format!(
                                "{file} has no column {name:?} (its columns: {}){}",
                                listing(h),
                                // A flag's name matches as written: say so when it is there in
                                // another case.
                                h.iter().find(|c| c.eq_ignore_ascii_case(name)).map_or(
                                    String::new(),
                                    |c| format!(
                                        "; a name given by a flag matches as written: {} {c}",
                                        role.flag()
                                    )
                                )
                            ),
                        })?,
                ),
                (Some(ColumnRef::Names(names)), Some(h)) => Some(
                    names
                        .iter()
                        .find_map(|n| h.iter().position(|c| c == n))
                        .ok_or_else(|| Error::Flag {
                            flag: role.flag().into(),
                            reason: format!(
                                "{file} has none of the columns {} (its columns: {})",
                                self.get(role).map_or(String::new(), ColumnRef::quoted),
                                listing(h)
                            ),
                        })?,
                ),
                (Some(c @ (ColumnRef::Name(_) | ColumnRef::Names(_))), None) => {
                    return Err(Error::Flag {
                        flag: role.flag().into(),
                        reason: format!(
                            "{} is a name, but {file} is read without a header: give a 1-based index",
                            c.quoted()
                        ),
                    });
                }
                (None, Some(h)) => first_named(h, role.defaults()),
                (None, None) => None,
            };
            // A name that the header gives twice is ambiguous: say so instead of taking the first.
            if let (Some(k), Some(h), false) = (
                pos[slot],
                header,
                matches!(self.get(role), Some(ColumnRef::Index(_))),
            ) {
                let name = &h[k];
                let all: Vec<String> = (0..h.len())
                    .filter(|&i| h[i] == *name)
                    .map(|i| (i + 1).to_string())
                    .collect();
                if all.len() > 1 {
                    return Err(Error::Flag {
                        flag: role.flag().into(),
                        reason: format!(
                            "{file} has {} columns named {name:?} (columns {}); choose one by its 1-based index, e.g. {} {}",
                            all.len(),
                            all.join(", "),
                            role.flag(),
                            all[0]
                        ),
                    });
                }
            }
        }
        if pos[0].is_none() {
            let tried = Role::Text.defaults().join(", ");
            let reason = match header {
                Some(h) => {
                    // A header line that is JSON: JSON lines that were not recognised (the head read ahead
                    // was all blank lines), or a JSON array, which is not JSON lines.
                    let json = match h.first().map(|f| f.trim_start()) {
                        Some(f) if f.starts_with('[') => {
                            "; it looks like a JSON array, which is not read: write one object per line (JSON lines), e.g. with jq -c '.[]'"
                        }
                        Some(f) if f.starts_with('{') => {
                            "; it looks like JSON lines: give --format jsonl"
                        }
                        // One long field of words: a sentence, not a header.
                        Some(f) if h.len() == 1 && f.split_whitespace().count() >= 4 => {
                            "; its first line reads as prose, not a header: records come as CSV, TSV or JSON lines, and `stancemeter run` reads prose (a page or plain text) as paragraphs"
                        }
                        _ => "",
                    };
                    format!(
                        "{file} has none of the columns {tried} (its columns: {}); choose one{json}",
                        listing(h)
                    )
                }
                None => {
                    format!("{file} is read without a header: give the text column's 1-based index")
                }
            };
            return Err(Error::Flag {
                flag: "--text-column".into(),
                reason,
            });
        }
        Ok(Resolved { pos })
    }
}

/// The position of the first of `names` that `header` has, as written or in another case ("Text"):
/// how a role's default names, and a labels file's columns, are found.
pub fn first_named(header: &[String], names: &[&str]) -> Option<usize> {
    names.iter().find_map(|n| {
        header
            .iter()
            .position(|c| c == n)
            .or_else(|| header.iter().position(|c| c.eq_ignore_ascii_case(n)))
    })
}

/// A header's names for an error message: each cut at 60 characters and at most 20 of them, so that a
/// header line that is really a long record (a file that is not CSV) does not flood the terminal.
pub fn listing(names: &[String]) -> String {
    const NAMES: usize = 20;
    const CHARS: usize = 60;
    let mut out: Vec<String> = names
        .iter()
        .take(NAMES)
        .map(|n| match n.char_indices().nth(CHARS) {
            Some((cut, _)) => format!("{}…", &n[..cut]),
            None => n.clone(),
        })
        .collect();
    if names.len() > NAMES {
        out.push(format!("and {} more", names.len() - NAMES));
    }
    out.join(", ")
}

/// Field positions per role, 0-based.
#[derive(Debug, Clone, Copy)]
pub struct Resolved {
    pos: [Option<usize>; 7],
}

impl Resolved {
    /// The position of `role`'s field, if mapped.
    pub fn get(&self, role: Role) -> Option<usize> {
        self.pos[Role::ALL.iter().position(|r| *r == role).unwrap_or(0)]
    }

    /// The highest position any role uses, plus one.
    pub fn width(&self) -> usize {
        self.pos.iter().flatten().max().map_or(0, |m| m + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each column flag's help lists the names tried for its role, all of them.
    #[cfg(feature = "cli")]
    #[test]
    fn column_flags_list_their_default_names() {
        use clap::Args as _;
        let cmd = Columns::augment_args(clap::Command::new("t"));
        for role in Role::ALL {
            let long = role.flag().trim_start_matches("--");
            let arg = cmd
                .get_arguments()
                .find(|a| a.get_long() == Some(long))
                .unwrap_or_else(|| panic!("{long}"));
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            for name in role.defaults() {
                assert!(help.contains(name), "{long}: {name} missing from {help:?}");
            }
        }
    }

    fn h(cols: &[&str]) -> Vec<String> {
        cols.iter().map(std::string::ToString::to_string).collect()
    }

    #[test]
    fn defaults_fit_a_reddit_dump() {
        let r = Columns::default()
            .resolve(
                Some(&h(&[
                    "id",
                    "author",
                    "body",
                    "created_utc",
                    "parent_id",
                    "link_id",
                ])),
                "f",
            )
            .unwrap();
        assert_eq!(r.get(Role::Text), Some(2));
        assert_eq!(r.get(Role::Date), Some(3));
        assert_eq!(r.get(Role::Doc), Some(5));
        assert_eq!(r.get(Role::Kind), None);
    }

    #[test]
    fn a_missing_named_column_names_the_flag_and_the_columns() {
        let c = Columns {
            author: Some(ColumnRef::Name("who".into())),
            ..Columns::default()
        };
        let e = c
            .resolve(Some(&h(&["text", "by"])), "in.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "--author-column: in.csv has no column \"who\" (its columns: text, by)"
        );
        // The name in another case is offered.
        let e = c
            .resolve(Some(&h(&["text", "Who"])), "in.csv")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "--author-column: in.csv has no column \"who\" (its columns: text, Who); a name given by a flag matches as written: --author-column Who"
        );
    }

    #[test]
    fn a_header_that_is_json_says_so() {
        let c = Columns::default();
        let e = c
            .resolve(Some(&h(&["{\"id\":\"a\"", "text:\"nice\"}"])), "nb.dat")
            .unwrap_err()
            .to_string();
        assert!(
            e.ends_with("choose one; it looks like JSON lines: give --format jsonl"),
            "{e}"
        );
        let e = c
            .resolve(
                Some(&h(&["[{\"id\": \"s1\"", " \"text\": \"hi\"}"])),
                "a.json",
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("a JSON array, which is not read"), "{e}");
    }

    #[test]
    fn a_long_header_is_listed_cut() {
        let long = "é".repeat(70);
        let mut names = vec![long];
        names.extend((1..=25).map(|i| format!("c{i}")));
        let l = listing(&names);
        assert!(l.starts_with(&format!("{}…, c1, ", "é".repeat(60))), "{l}");
        assert!(l.ends_with("c19, and 6 more"), "{l}");
        assert_eq!(listing(&h(&["id", "text"])), "id, text");
    }

    /// Several names take the first each header has; a header with none of them is an error.
    #[test]
    fn several_names_take_the_first_a_header_has() {
        let c = Columns {
            author: Some("Posted by | User Name".parse().unwrap()),
            ..Columns::default()
        };
        assert_eq!(
            c.author,
            Some(ColumnRef::Names(vec![
                "Posted by".into(),
                "User Name".into()
            ]))
        );
        let at = |cols: &[&str]| c.resolve(Some(&h(cols)), "f").map(|r| r.get(Role::Author));
        assert_eq!(at(&["text", "User Name"]).unwrap(), Some(1));
        assert_eq!(at(&["User Name", "text", "Posted by"]).unwrap(), Some(2));
        assert_eq!(
            at(&["text", "by"]).unwrap_err().to_string(),
            "--author-column: f has none of the columns \"Posted by\" or \"User Name\" (its columns: text, by)"
        );
        assert!("a||b".parse::<ColumnRef>().is_err());
        // A config file's list is the same.
        let t: Columns = toml::from_str("author = [\"Posted by\", \"User Name\"]").unwrap();
        assert_eq!(t.author, c.author);
    }

    #[test]
    fn indices_are_one_based_and_validated() {
        assert_eq!("3".parse::<ColumnRef>().unwrap(), ColumnRef::Index(3));
        assert!("0".parse::<ColumnRef>().is_err());
        assert_eq!(
            "body".parse::<ColumnRef>().unwrap(),
            ColumnRef::Name("body".into())
        );
    }
}
