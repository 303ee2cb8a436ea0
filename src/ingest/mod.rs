//! Ingest: corpus files in, units and rejects out, every record accounted for.
//!
//! Takes input paths (files, directories read recursively in sorted order, or `-` for stdin) and a
//! column mapping; gives the units in input order, the rejected records, and the layout blocks of article
//! pages that are not text. `read == units + rejects` always holds. [`read_each`] hands each unit over as
//! it is read, so that a large corpus is never held in memory; [`read_corpus`] collects them.

pub mod columns;
pub mod dates;
pub mod page;
pub mod records;
pub mod sniff;
pub mod threads;

use crate::error::{Error, Result, read_err};
use crate::model::{Kind, Unit};
use columns::Columns;
use records::{Spec, Syntax};
use sha2::{Digest, Sha256};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A scraped article page with threaded comments (the seed's layout).
    Page,
    /// Plain text: one unit per paragraph, paragraphs separated by blank lines.
    Text,
    /// CSV with a header (RFC 4180).
    Csv,
    /// Tab-separated values.
    Tsv,
    /// One JSON object per line.
    Jsonl,
}

impl Format {
    /// The name used in flags, messages and run.json.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Page => "page",
            Format::Text => "text",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Jsonl => "jsonl",
        }
    }

    /// Parses a `--format` value.
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s.to_ascii_lowercase().as_str() {
            "page" => Format::Page,
            "text" | "txt" => Format::Text,
            "csv" => Format::Csv,
            "tsv" | "tab" => Format::Tsv,
            "jsonl" | "ndjson" => Format::Jsonl,
            _ => return None,
        })
    }

    /// The format of a file by its extension; `.txt` and unknown extensions are sniffed later.
    pub fn from_path(p: &Path) -> Option<Format> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        Format::parse(&ext).filter(|f| *f != Format::Text && *f != Format::Page)
    }
}

/// A record that was not scored, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct Reject {
    /// The input file.
    pub source: String,
    /// The 1-based line where the record starts.
    pub line: u64,
    /// The field at fault.
    pub field: String,
    /// What is wrong.
    pub reason: String,
}

/// The default of `--max-text-bytes`: 1 MiB, far above any real comment, far below what would make a
/// single record dominate a run's memory.
pub const DEFAULT_MAX_TEXT_BYTES: usize = 1 << 20;

impl Item {
    /// This item, or a reject when it is a unit whose text is longer than `max` bytes (`None`: no limit).
    #[must_use]
    pub fn limited(self, max: Option<usize>) -> Item {
        match (self, max) {
            (Item::Unit(u), Some(max)) if u.text.len() > max => Item::Bad(Reject {
                reason: format!(
                    "the text is {} bytes, longer than --max-text-bytes {max}",
                    u.text.len()
                ),
                source: u.source,
                line: u.line,
                field: "text".into(),
            }),
            (item, _) => item,
        }
    }
}

impl Reject {
    /// The hard error this reject becomes without `--skip-bad`.
    pub fn into_error(self) -> Error {
        Error::Record {
            file: self.source,
            line: self.line,
            field: self.field,
            reason: self.reason,
        }
    }
}

/// `FILE, line N: FIELD: REASON`, as [`Error::Record`] says it.
impl std::fmt::Display for Reject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}, line {}: {}: {}",
            self.source, self.line, self.field, self.reason
        )
    }
}

/// One record read: a unit or a reject.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A record that can be scored.
    Unit(Unit),
    /// A record that cannot.
    Bad(Reject),
}

/// One input: a path (file, directory or `-`) or text compiled into the binary.
#[derive(Debug, Clone)]
pub enum Input {
    /// A file, a directory, or `-` for stdin.
    Path(PathBuf),
    /// Embedded text, such as the default corpus.
    Embedded {
        /// The name recorded in provenance.
        name: String,
        /// The text.
        text: &'static str,
    },
}

impl Input {
    /// The input as a user would name it.
    pub fn name(&self) -> String {
        match self {
            Input::Path(p) => p.display().to_string(),
            Input::Embedded { name, .. } => format!("{name} (embedded)"),
        }
    }
}

/// How to read the inputs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Forces a format instead of choosing by extension.
    pub format: Option<Format>,
    /// Column mapping for CSV, TSV and JSONL.
    pub columns: Columns,
    /// The first CSV/TSV line is data.
    pub no_header: bool,
    /// Bad records become rejects instead of stopping the run.
    pub skip_bad: bool,
    /// A folder never read when walking directories: the run's own output folder.
    pub skip_dir: Option<PathBuf>,
    /// The CSV delimiter; sniffed from each file's header when `None`.
    pub delimiter: Option<u8>,
    /// The inputs' text encoding; UTF-8 unless a byte-order mark says UTF-16 when `None`.
    pub encoding: Option<&'static encoding_rs::Encoding>,
    /// Texts longer than this many bytes are rejected (`None`: no limit).
    pub max_text_bytes: Option<usize>,
    /// How deeply a JSONL record may nest (1 to [`records::MAX_JSON_DEPTH`]).
    pub max_json_depth: usize,
}

impl Default for Options {
    /// Every format by content, default columns, no text size limit, the JSON parser's own depth bound.
    fn default() -> Options {
        Options {
            format: None,
            columns: Columns::default(),
            no_header: false,
            skip_bad: false,
            skip_dir: None,
            delimiter: None,
            encoding: None,
            max_text_bytes: None,
            max_json_depth: records::MAX_JSON_DEPTH,
        }
    }
}

/// One input file as read.
#[derive(Debug, Clone)]
pub struct InputFile {
    /// Its path (`-` for stdin).
    pub path: String,
    /// The format it was read as.
    pub format: Format,
    /// Its size in bytes.
    pub bytes: u64,
    /// The SHA-256 of its bytes as read (stdin included), in hex.
    pub sha256: String,
    /// The encoding it was read as (`windows-1252` when guessed), for text read from a file or stdin.
    pub encoding: Option<&'static str>,
    /// The CSV delimiter it was read with, given or sniffed.
    pub delimiter: Option<char>,
}

/// The SHA-256 of `bytes`, in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes).as_slice())
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Everything read from the inputs, units included.
#[derive(Debug, Default)]
pub struct Corpus {
    /// Scoreable units, in input order.
    pub units: Vec<Unit>,
    /// The rejects, layout blocks and files, with the count of units.
    pub tally: Tally,
}

/// Everything read from the inputs except the units, which [`read_each`] hands over one by one.
#[derive(Debug, Default)]
pub struct Tally {
    /// Units handed over.
    pub units: usize,
    /// Records that could not be scored (only with `skip_bad`; otherwise the first one is an error).
    pub rejects: Vec<Reject>,
    /// Page layout blocks that are not text (boilerplate, image labels, repeated title).
    pub skipped: Vec<(String, page::Skipped)>,
    /// The files read.
    pub files: Vec<InputFile>,
    /// What the user should know that is not an error, such as files skipped in a directory.
    pub warnings: Vec<String>,
    /// Inputs whose format was found from their content: file, format and (for CSV) delimiter.
    pub sniffed: Vec<(String, Format, u8)>,
    /// For each record file, the column chosen for each role and the header's columns no role reads.
    pub columns: Vec<FileColumns>,
}

/// The columns of one record file: the one chosen for each role, and the header's columns no role reads.
#[derive(Debug, Clone, Default)]
pub struct FileColumns {
    /// The file, as the user named it.
    pub file: String,
    /// (role, column as the header names it, or as the first JSON record that has one writes its key).
    pub chosen: Vec<(&'static str, String)>,
    /// The header's columns that no role reads, in header order (CSV and TSV with a header).
    pub unused: Vec<String>,
}

impl FileColumns {
    /// The columns line: `file: text = body, id = id`, then the header's columns no role reads with
    /// those of `roles` that have no column, so that the user can map one ("Reviewer", "Posted on").
    pub fn describe(&self, roles: &[columns::Role]) -> String {
        let list: Vec<String> = self
            .chosen
            .iter()
            .map(|(r, c)| format!("{r} = {c}"))
            .collect();
        let mut line = format!("{}: {}", self.file, list.join(", "));
        if self.unused.is_empty() {
            return line;
        }
        line.push_str(&format!("; not used: {}", self.unused.join(", ")));
        let free: Vec<columns::Role> = roles
            .iter()
            .copied()
            .filter(|role| {
                let name = records::role_name(*role);
                self.chosen.iter().all(|(r, _)| *r != name)
            })
            .collect();
        // The roles still free, as facts: a column is not thereby one of them (a rating is no parent id).
        let names: Vec<&str> = free.iter().map(|r| records::role_name(*r)).collect();
        let flags: Vec<&str> = free.iter().map(|r| r.flag()).collect();
        match flags.as_slice() {
            [] => {}
            [one] => line.push_str(&format!(
                " (role without a column: {}; {one} maps it)",
                names.join(", ")
            )),
            [rest @ .., last] => line.push_str(&format!(
                " (roles without a column: {}; {} and {last} map them)",
                names.join(", "),
                rest.join(", ")
            )),
        }
        line
    }
}

impl Tally {
    /// Records read: units plus rejects.
    pub fn read(&self) -> usize {
        self.units + self.rejects.len()
    }
}

/// Where read units go, with the tally of everything else.
struct Reader<'a> {
    tally: Tally,
    sink: &'a mut dyn FnMut(Unit) -> Result<()>,
}

/// The extensions read from a directory; other files there are skipped and named.
pub const DIRECTORY_EXTENSIONS: &[&str] = &["csv", "tsv", "jsonl", "ndjson", "txt"];

/// Expands inputs: directories recursively in sorted order (symbolic links followed, a loop is an error),
/// hidden entries skipped, and only files with one of [`DIRECTORY_EXTENSIONS`] read from them. A file
/// named directly is always read. Gives the files to read and the files skipped in directories.
pub fn expand(inputs: &[PathBuf], skip_dir: Option<&Path>) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    let skip = skip_dir.and_then(|d| std::fs::canonicalize(d).ok());
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for p in inputs {
        if p.as_os_str() == "-" || !p.is_dir() {
            out.push(p.clone());
            continue;
        }
        let walk = walkdir::WalkDir::new(p)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| {
                e.depth() == 0
                    || !(e.file_name().to_string_lossy().starts_with('.')
                        || e.file_type().is_dir()
                            && skip.is_some()
                            && std::fs::canonicalize(e.path()).ok() == skip)
            });
        for entry in walk {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(p).to_path_buf();
                let why = e.to_string();
                Error::Read {
                    path,
                    source: e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other(why)),
                }
            })?;
            if entry.file_type().is_dir() {
                continue;
            }
            let known = entry
                .path()
                .extension()
                .and_then(|x| x.to_str())
                .is_some_and(|x| DIRECTORY_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str()));
            if known {
                out.push(entry.into_path());
            } else {
                skipped.push(entry.into_path());
            }
        }
    }
    Ok((out, skipped))
}

/// Reads every input, in order, handing each unit to `sink` as soon as it is read. Without `skip_bad` the
/// first bad record is an error naming it. Threads are not rebuilt: that needs the whole corpus (see
/// [`threads`]).
pub fn read_each(
    inputs: &[Input],
    opts: &Options,
    sink: &mut dyn FnMut(Unit) -> Result<()>,
) -> Result<Tally> {
    read_each_on(inputs, opts, None, sink)
}

/// [`read_each`], with JSONL lines parsed on `pool` (a block at a time, handed over in input order).
pub fn read_each_on(
    inputs: &[Input],
    opts: &Options,
    pool: Option<&rayon::ThreadPool>,
    sink: &mut dyn FnMut(Unit) -> Result<()>,
) -> Result<Tally> {
    let mut r = Reader {
        tally: Tally::default(),
        sink,
    };
    let mut seen = std::collections::HashSet::new();
    // Every input's files first: a document's name depends on the names of the others.
    let expanded: Vec<(Vec<PathBuf>, Vec<PathBuf>)> = inputs
        .iter()
        .map(|input| match input {
            Input::Path(p) => expand(std::slice::from_ref(p), opts.skip_dir.as_deref()),
            Input::Embedded { .. } => Ok((Vec::new(), Vec::new())),
        })
        .collect::<Result<_>>()?;
    let all: Vec<PathBuf> = expanded
        .iter()
        .flat_map(|(f, _)| f.iter().cloned())
        .collect();
    let docs = doc_names(&all, &mut r.tally.warnings);
    for (input, (files, skipped)) in inputs.iter().zip(expanded) {
        match input {
            Input::Path(p) => {
                if !skipped.is_empty() {
                    let names: Vec<String> =
                        skipped.iter().map(|f| f.display().to_string()).collect();
                    r.tally.warnings.push(format!(
                        "{}: skipped {} file(s) that are not .{}: {}",
                        p.display(),
                        names.len(),
                        DIRECTORY_EXTENSIONS.join(", ."),
                        names.join(", ")
                    ));
                }
                for path in files {
                    let id = crate::outdir::identity(&path).filter(|_| path.as_os_str() != "-");
                    if let Some(id) = id
                        && !seen.insert(id)
                    {
                        r.tally.warnings.push(format!(
                            "{} is the same file as an earlier input: read once",
                            path.display()
                        ));
                        continue;
                    }
                    let (units, rejects) = (r.tally.units, r.tally.rejects.len());
                    let doc = docs.get(&path).cloned().unwrap_or_else(|| stem(&path));
                    read_one(&path, &doc, opts, pool, &mut r)?;
                    // With --skip-bad, a file none of whose records could be read would otherwise go
                    // unnoticed among the others' (a nested text field, a wrong column).
                    let rejected = r.tally.rejects.len() - rejects;
                    if r.tally.units == units && rejected > 0 {
                        r.tally.warnings.push(format!(
                            "{}: all {rejected} of its records were rejected, so nothing of it is scored (the first: {}; see rejects.csv)",
                            display_name(&path),
                            r.tally.rejects[rejects]
                        ));
                    }
                }
            }
            Input::Embedded { name, text } => {
                let doc = stem(Path::new(name));
                read_text(text, None, &doc, name, &[], opts, &mut r)?;
                r.tally.files.push(InputFile {
                    path: name.clone(),
                    format: Format::Page,
                    bytes: text.len() as u64,
                    sha256: sha256_hex(text.as_bytes()),
                    encoding: None,
                    delimiter: None,
                });
            }
        }
    }
    if r.tally.read() == 0 {
        let names: Vec<String> = inputs.iter().map(Input::name).collect();
        return Err(Error::EmptyCorpus {
            inputs: names.join(", "),
        });
    }
    Ok(r.tally)
}

/// Reads every input into memory, with reply threads rebuilt. Fine for small corpora; the pipeline uses
/// [`read_each`].
pub fn read_corpus(inputs: &[Input], opts: &Options) -> Result<Corpus> {
    let mut units = Vec::new();
    let tally = read_each(inputs, opts, &mut |u| {
        units.push(u);
        Ok(())
    })?;
    rebuild_threads(&mut units);
    Ok(Corpus { units, tally })
}

fn open(path: &Path) -> Result<Box<dyn BufRead>> {
    if path.as_os_str() == "-" {
        return Ok(Box::new(BufReader::with_capacity(
            1 << 16,
            std::io::stdin(),
        )));
    }
    let f = std::fs::File::open(path).map_err(read_err(path))?;
    Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
}

/// The name recorded in provenance and messages.
pub fn display_name(path: &Path) -> String {
    path.display().to_string()
}

/// The document name of each of `files`: its stem ([`stem`]), unless another file has the same stem
/// (`forum/comments.csv` and `news/comments.csv`, `site.csv` and `site.jsonl`), whose ids would then be
/// one document's: such files are named by their folder and stem (`forum/comments`), else by their file
/// name (`site.csv`), else by their path as given; a warning says so.
fn doc_names(
    files: &[PathBuf],
    warnings: &mut Vec<String>,
) -> std::collections::HashMap<PathBuf, String> {
    use std::collections::{HashMap, HashSet};
    let mut names: HashMap<&Path, String> = files.iter().map(|f| (f.as_path(), stem(f))).collect();
    // Folder and stem, then the file name, then the path as given.
    let longer = |f: &Path, way: usize| match way {
        0 => {
            let dir = f.parent()?.file_name()?.to_string_lossy().into_owned();
            Some(format!("{dir}/{}", stem(f)))
        }
        1 => Some(f.file_name()?.to_string_lossy().into_owned()),
        _ => Some(f.display().to_string()),
    };
    let mut renamed: HashSet<&Path> = HashSet::new();
    for way in 0..3 {
        let mut uses: HashMap<&str, usize> = HashMap::new();
        for n in names.values() {
            *uses.entry(n).or_default() += 1;
        }
        let clashing: Vec<&Path> = names
            .iter()
            .filter(|(_, n)| uses[n.as_str()] > 1)
            .map(|(f, _)| *f)
            .collect();
        if clashing.is_empty() {
            break;
        }
        for f in clashing {
            if let Some(n) = longer(f, way) {
                names.insert(f, n);
            }
            renamed.insert(f);
        }
    }
    if !renamed.is_empty() {
        let listed: Vec<String> = files
            .iter()
            .filter(|f| renamed.contains(f.as_path()))
            .map(|f| format!("{} is {}", f.display(), names[f.as_path()]))
            .collect();
        warnings.push(format!(
            "files with the same name are documents of their own, named by their folder or extension: {} (doc_id)",
            listed.join(", ")
        ));
    }
    names
        .into_iter()
        .map(|(f, n)| (f.to_path_buf(), n))
        .collect()
}

/// The document name of an input: its file name without extension, `stdin` for `-`.
pub(crate) fn stem(path: &Path) -> String {
    if path.as_os_str() == "-" {
        return "stdin".into();
    }
    path.file_stem()
        .map_or_else(|| "doc".into(), |s| s.to_string_lossy().into_owned())
}

/// Counts and hashes the bytes that pass through, for the manifest: a file is read once, however large,
/// and stdin can be described too.
struct Counting<R> {
    inner: R,
    n: u64,
    hash: Sha256,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n += k as u64;
        self.hash.update(&buf[..k]);
        Ok(k)
    }
}

fn read_one(
    path: &Path,
    doc: &str,
    opts: &Options,
    pool: Option<&rayon::ThreadPool>,
    r: &mut Reader,
) -> Result<()> {
    let source = display_name(path);
    let doc = doc.to_string();
    // Bytes are counted and hashed as read (the manifest describes the file), then decoded to UTF-8
    // (sniff::decode: --encoding, a UTF-16 byte-order mark, UTF-8, or a Windows-1252 guess it reports).
    let mut counting = Counting {
        inner: open(path)?,
        n: 0,
        hash: Sha256::new(),
    };
    let (head, decoded, guess, encoding) =
        sniff::decode(&mut counting, opts.encoding).map_err(read_err(path))?;
    r.tally.warnings.extend(guess.map(|g| g.describe(&source)));
    // The head decides what an input is when neither --format nor the extension says (stdin, `.dat`),
    // and a CSV's delimiter when --delimiter does not.
    sniff::refuse_unreadable(&head, opts.encoding, opts.format.is_some(), path, &source)?;
    let sniffed = sniff::format(&head, &opts.columns);
    let format = opts
        .format
        .or_else(|| Format::from_path(path))
        .or(sniffed.map(|s| s.0));
    let delimiter = opts.delimiter.unwrap_or_else(|| sniff::delimiter(&head));
    let mut input = sniff::rejoin(head, decoded);
    r.tally.sniffed.extend(
        sniffed
            .filter(|_| opts.format.is_none() && Format::from_path(path).is_none())
            .map(|(f, d)| (source.clone(), f, d)),
    );
    let format = match format {
        Some(f @ (Format::Csv | Format::Tsv | Format::Jsonl)) => {
            let syntax = match f {
                Format::Csv => Syntax::Csv,
                Format::Tsv => Syntax::Tsv,
                _ => Syntax::Jsonl,
            };
            let spec = Spec {
                source: &source,
                doc: &doc,
                columns: &opts.columns,
                no_header: opts.no_header,
                keep_empty: false,
                delimiter,
                max_json_depth: opts.max_json_depth,
                pool,
                meta: true,
            };
            let chosen =
                records::read(syntax, &mut input, &spec, &mut |item| accept(item, opts, r))?;
            r.tally.warnings.extend(chosen.notes);
            r.tally.columns.push(FileColumns {
                file: source.clone(),
                chosen: chosen.columns,
                unused: chosen.unused,
            });
            f
        }
        forced => {
            let mut bytes = Vec::new();
            input.read_to_end(&mut bytes).map_err(read_err(path))?;
            let (text, bad_lines) = match utf8(&bytes, &source) {
                Ok(text) => (text, Vec::new()),
                Err(e) if !opts.skip_bad => return Err(e),
                // With --skip-bad the records that hold invalid bytes are rejected, the rest scored.
                Err(_) => lossy_lines(&bytes),
            };
            let read = read_text(&text, forced, &doc, &source, &bad_lines, opts, r)?;
            // Said out loud when the content decided (stdin, an unknown extension): JSON or CSV that was
            // not recognised is then seen to be read as prose.
            // (An .html or .htm file gets here only with --format, which names what it is.)
            if forced.is_none() && !sniff::has_extension(path, &["txt"]) {
                r.tally.sniffed.push((source.clone(), read, b','));
            }
            read
        }
    };
    // Whatever the reader left unread (a CSV's trailing bytes after the last record) still counts.
    std::io::copy(&mut input, &mut std::io::sink()).map_err(read_err(path))?;
    drop(input);
    r.tally.files.push(InputFile {
        path: source,
        format,
        bytes: counting.n,
        sha256: hex(counting.hash.finalize().as_slice()),
        encoding: Some(encoding),
        delimiter: (format == Format::Csv).then_some(char::from(delimiter)),
    });
    Ok(())
}

/// Reads a page or plain text held in memory; gives the format it was read as. `bad_lines` (1-based,
/// ascending) held invalid UTF-8: a unit whose lines include one is rejected, and a bad line outside any
/// unit is a reject of its own, so that nothing read is lost.
fn read_text(
    text: &str,
    forced: Option<Format>,
    doc: &str,
    source: &str,
    bad_lines: &[u64],
    opts: &Options,
    r: &mut Reader,
) -> Result<Format> {
    let f = forced.unwrap_or_else(|| {
        if page::is_page(text) {
            Format::Page
        } else {
            Format::Text
        }
    });
    let reject = |line: u64, field: &str, reason: String| Reject {
        source: source.to_string(),
        line,
        field: field.to_string(),
        reason,
    };
    let (units, mut items) = if f == Format::Page {
        let p = page::parse(text, doc, source);
        r.tally
            .skipped
            .extend(p.skipped.into_iter().map(|s| (source.to_string(), s)));
        let bad: Vec<(u64, Item)> = p
            .rejects
            .into_iter()
            .map(|(line, field, why)| (line, Item::Bad(reject(line, field, why))))
            .collect();
        (p.units, bad)
    } else {
        (paragraphs(text, doc, source), Vec::new())
    };
    const OUTSIDE: &str = "invalid UTF-8 in a line outside any record";
    let mut bad = bad_lines.iter().copied().peekable();
    let starts: Vec<u64> = units.iter().map(|u| u.line).collect();
    for (k, unit) in units.into_iter().enumerate() {
        let end = starts.get(k + 1).copied().unwrap_or(u64::MAX);
        while let Some(l) = bad.next_if(|&l| l < unit.line) {
            items.push((l, Item::Bad(reject(l, "text", OUTSIDE.into()))));
        }
        let mut hit = None;
        while let Some(l) = bad.next_if(|&l| l < end) {
            hit.get_or_insert(l);
        }
        let item = match hit {
            Some(l) => Item::Bad(reject(
                unit.line,
                "text",
                format!("invalid UTF-8 on line {l}"),
            )),
            None => Item::Unit(unit),
        };
        items.push((starts[k], item));
    }
    for l in bad {
        items.push((l, Item::Bad(reject(l, "text", OUTSIDE.into()))));
    }
    items.sort_by_key(|(line, _)| *line);
    for (_, item) in items {
        accept(item, opts, r)?;
    }
    Ok(f)
}

/// Decodes a file with invalid UTF-8 line by line: the invalid bytes become U+FFFD, and the lines that
/// held them are given (1-based, ascending).
fn lossy_lines(bytes: &[u8]) -> (String, Vec<u64>) {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let mut text = String::with_capacity(bytes.len());
    let mut bad = Vec::new();
    for (k, line) in bytes.split_inclusive(|&b| b == b'\n').enumerate() {
        match std::str::from_utf8(line) {
            Ok(s) => text.push_str(s),
            Err(_) => {
                bad.push(k as u64 + 1);
                text.push_str(&String::from_utf8_lossy(line));
            }
        }
    }
    (text, bad)
}

/// Hands a read item on: a unit (within --max-text-bytes) to the sink, a bad record to the rejects
/// with --skip-bad, else as the error that stops the run.
fn accept(item: Item, opts: &Options, r: &mut Reader) -> Result<()> {
    match item.limited(opts.max_text_bytes) {
        Item::Unit(u) => {
            r.tally.units += 1;
            (r.sink)(u)?;
        }
        Item::Bad(bad) if opts.skip_bad => r.tally.rejects.push(bad),
        Item::Bad(bad) => return Err(bad.into_error()),
    }
    Ok(())
}

/// Decodes a whole text file; invalid UTF-8 is an error that names its line.
fn utf8(bytes: &[u8], source: &str) -> Result<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map(str::to_string).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        Error::Record {
            file: source.into(),
            line,
            field: "text".into(),
            reason: records::not_utf8(at, "file"),
        }
    })
}

/// Plain text: each blank-line-separated paragraph is a unit.
fn paragraphs(text: &str, doc: &str, source: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut cur: Vec<&str> = Vec::new();
    let mut start = 0u64;
    let lines: Vec<&str> = text.lines().chain(std::iter::once("")).collect();
    for (k, l) in lines.iter().enumerate() {
        if l.trim().is_empty() {
            if !cur.is_empty() {
                out.push(Unit {
                    id: format!("p{:02}", out.len() + 1),
                    doc_id: doc.into(),
                    kind: Some(Kind::Paragraph),
                    source: source.into(),
                    line: start,
                    text: cur.join("\n"),
                    ..Unit::default()
                });
                cur.clear();
            }
        } else {
            if cur.is_empty() {
                start = k as u64 + 1;
            }
            cur.push(l.trim());
        }
    }
    out
}

/// Fills depth and thread root from parent links, for formats that give only `parent_id`.
/// A parent outside the corpus makes the unit a root of its own thread; cycles are cut.
pub fn rebuild_threads(units: &mut [Unit]) {
    threads::rebuild(units);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_are_rebuilt_from_parent_ids() {
        let mk = |id: &str, parent: Option<&str>| Unit {
            id: id.into(),
            parent_id: parent.map(Into::into),
            ..Unit::default()
        };
        let mut units = vec![
            mk("a", None),
            mk("b", Some("a")),
            mk("c", Some("b")),
            mk("d", Some("gone")),
        ];
        rebuild_threads(&mut units);
        let got: Vec<_> = units
            .iter()
            .map(|u| (u.depth, u.thread_root.clone().unwrap()))
            .collect();
        assert_eq!(
            got,
            [
                (0, "a".into()),
                (1, "a".into()),
                (2, "a".into()),
                (0, "d".into())
            ]
        );
    }

    #[test]
    fn plain_text_paragraphs() {
        let u = paragraphs("One.\nstill one.\n\n\nTwo.\n", "d", "s");
        assert_eq!(u.len(), 2);
        assert_eq!((u[0].text.as_str(), u[1].line), ("One.\nstill one.", 5));
    }
}
