//! The library's errors. Each message names the file, line, field or flag that caused it.

use std::path::PathBuf;

/// Anything that stops a run.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {}: {}", path.display(), io_words(source))]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An output could not be written.
    #[error("cannot write {}: {}", path.display(), io_words(source))]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A malformed input record.
    #[error("{file}, line {line}: {field}: {reason}")]
    Record {
        /// The input file (`-` for stdin).
        file: String,
        /// The 1-based line where the record starts.
        line: u64,
        /// The field or part of the record at fault.
        field: String,
        /// What is wrong.
        reason: String,
    },
    /// The inputs held no scoreable record.
    #[error("no records to score in {inputs}: the corpus is empty")]
    EmptyCorpus {
        /// The inputs, as given.
        inputs: String,
    },
    /// Every record was rejected: nothing to report; the output folder is left as it was.
    #[error("nothing to score: {}", all_rejected(*.read, .reasons))]
    AllRejected {
        /// Records read.
        read: usize,
        /// The first few rejects, each with file, line, field and reason.
        reasons: String,
    },
    /// A command-line flag with an invalid value.
    #[error("{flag}: {reason}")]
    Flag {
        /// The flag, as written on the command line.
        flag: String,
        /// What is wrong and what is allowed.
        reason: String,
    },
    /// A configuration or target file that does not parse or validate.
    #[error("{file}: {reason}")]
    Config {
        /// The file.
        file: PathBuf,
        /// What is wrong, with the key or line where known.
        reason: String,
    },
    /// Labelled texts that cannot train what `learn` was asked for (too few, or of one class).
    #[error("{}: {reason}", file.display())]
    Labels {
        /// The labels file.
        file: PathBuf,
        /// What is missing, and what to do.
        reason: String,
    },
    /// A stance model could not be trained.
    #[error("training the stance model failed: {0}")]
    Train(String),
    /// A partial aggregate could not take a unit, merge or load.
    #[error("partial aggregate: {reason}")]
    Partial {
        /// What is wrong, naming the value.
        reason: String,
    },
    /// An aggregate table could not be computed.
    #[cfg(feature = "report")]
    #[error("aggregating table {table}: {source}")]
    Aggregate {
        /// The table's name.
        table: String,
        /// The polars error.
        source: polars::error::PolarsError,
    },
    /// Another run holds the output folder.
    #[error("{} is in use by another stancemeter run ({holder}); wait for it to finish, or give another --out", dir.display())]
    Busy {
        /// The output folder.
        dir: PathBuf,
        /// The other run, as its lock file describes it.
        holder: String,
    },
    /// An output asked an aggregate table for a column the table does not have: the contract between
    /// aggregate and outputs (`aggregate::schema`) is broken.
    #[cfg(feature = "report")]
    #[error("table {table}: column {column:?} {reason}")]
    Column {
        /// The table.
        table: String,
        /// The column asked for.
        column: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A chart could not be drawn.
    #[error("drawing {path}: {reason}")]
    Chart {
        /// The chart file.
        path: PathBuf,
        /// What failed.
        reason: String,
    },
}

/// [`Error::AllRejected`]'s message after "nothing to score: ".
fn all_rejected(read: usize, reasons: &str) -> String {
    if read == 1 {
        format!("the only record was rejected ({reasons})")
    } else {
        format!("all {read} records were rejected (the first: {reasons})")
    }
}
impl Error {
    /// The process exit code for this error: 2 for usage and configuration, 3 for bad input data,
    /// 1 for everything else (I/O, internal).
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Flag { .. } | Error::Config { .. } => 2,
            Error::Record { .. }
            | Error::EmptyCorpus { .. }
            | Error::AllRejected { .. }
            | Error::Labels { .. } => 3,
            _ => 1,
        }
    }

    /// Whether this is a closed output pipe (`stancemeter score | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Builds an [`Error::Write`] for `path`.
pub fn write_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Write { path, source }
}

/// An I/O error in the same words wherever it is reported: lower case, without the "(os error 2)" that
/// the standard library appends.
pub fn io_words(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    // Our own I/O errors (built with a message) say what they mean already.
    if e.raw_os_error().is_none() {
        return e.to_string();
    }
    let words = match e.kind() {
        K::NotFound => "no such file or directory",
        K::PermissionDenied => "permission denied",
        K::IsADirectory => "it is a directory",
        K::NotADirectory => "a part of the path is not a directory",
        K::AlreadyExists => "it already exists",
        K::StorageFull => "no space left on the device",
        K::ReadOnlyFilesystem => "the file system is read-only",
        _ => "",
    };
    if !words.is_empty() {
        return words.to_string();
    }
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(i) => {
            let mut t = text[..i].to_string();
            if let Some(first) = t.get(..1) {
                let lower = first.to_lowercase();
                t.replace_range(..1, &lower);
            }
            t
        }
        None => text,
    }
}

/// Builds an [`Error::Read`] for `path`.
pub fn read_err(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Error {
    let path = path.into();
    move |source| Error::Read { path, source }
}
