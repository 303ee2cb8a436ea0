//! Output folders and files that are replaced whole, never half-written, and never by two runs at once.
//!
//! [`OutDir`] gives `run` a locked output folder: a second run into the same folder fails at once with a
//! message naming the first. Everything is written into a fresh hidden staging folder inside it, and only
//! when the run has succeeded are the new files moved over the old ones (`run.json` last) and the files of
//! the previous run that this one did not write removed. A run that fails or is killed before that leaves
//! the previous set as it was; the staging folder it leaves is removed by the next run.
//!
//! [`AtomicFile`] does the same for one file (`score -o`, `learn --out`): the new content goes to a
//! temporary file beside it, which replaces the old file only once it is complete.

use crate::error::{Error, Result, write_err};
use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file inside an output folder. It stays after the run; the lock is on the open file.
pub const LOCK_FILE: &str = ".stancemeter.lock";
const STAGING_PREFIX: &str = ".stancemeter-staging-";
/// The commit journal: what a run is moving into place. A run killed while moving files leaves it, and
/// the next run (under the lock) finishes the move before anything else, so the folder ends up holding
/// one whole set, never a mix of two.
const JOURNAL: &str = ".stancemeter-commit.json";

/// A locked output folder with its staging folder.
pub struct OutDir {
    dir: PathBuf,
    staging: Option<tempfile::TempDir>,
    created: bool,
    _lock: File,
}

impl OutDir {
    /// Creates `dir` if needed, locks it, removes staging folders left by killed runs, and makes a fresh
    /// staging folder. `argv` is written into the lock file, so that a second run can name this one.
    pub fn open(dir: &Path, argv: &[String]) -> Result<OutDir> {
        let created = !dir.exists();
        std::fs::create_dir_all(dir).map_err(write_err(dir))?;
        let lock_path = dir.join(LOCK_FILE);
        let mut lock = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(write_err(&lock_path))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                let mut holder = String::new();
                let _ = lock.read_to_string(&mut holder);
                let holder = holder.trim();
                return Err(Error::Busy {
                    dir: dir.to_path_buf(),
                    holder: if holder.is_empty() {
                        "a process that has not written its name yet".into()
                    } else {
                        holder.to_string()
                    },
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(write_err(&lock_path)(e)),
        }
        let me = format!(
            "pid {}, started at Unix time {}: {}\n",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            argv.join(" ")
        );
        lock.set_len(0)
            .and_then(|()| lock.rewind())
            .and_then(|()| lock.write_all(me.as_bytes()))
            .and_then(|()| lock.flush())
            .map_err(write_err(&lock_path))?;
        // A run killed while moving its files into place: finish its move first.
        roll_forward(dir)?;
        // Any staging folder here belongs to a run that was killed: the lock says none is running.
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        let staging = tempfile::Builder::new()
            .prefix(STAGING_PREFIX)
            .tempdir_in(dir)
            .map_err(write_err(dir))?;
        Ok(OutDir {
            dir: dir.to_path_buf(),
            staging: Some(staging),
            created,
            _lock: lock,
        })
    }

    /// The folder to write into until [`OutDir::commit`].
    pub fn staging(&self) -> &Path {
        self.staging.as_ref().map_or(&self.dir, |s| s.path())
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Removes the output folder again if this run created it and nothing was committed; for a run that
    /// fails before it has anything to show.
    pub fn abandon(mut self) {
        drop(self.staging.take());
        if self.created {
            let _ = std::fs::remove_file(self.dir.join(LOCK_FILE));
            let _ = std::fs::remove_dir(&self.dir);
        }
    }

    /// Moves `files` (names relative to the staging folder; `run.json` last if present) into the output
    /// folder, replacing files of the same name, then removes the files that the previous run's
    /// `run.json` listed and this run did not write. The plan is written to a journal first, so that a
    /// run killed half-way is completed by the next one.
    pub fn commit(mut self, files: &[String]) -> Result<()> {
        let previous = previous_outputs(&self.dir);
        let Some(staging) = self.staging.take() else {
            return Ok(());
        };
        // From here the staging folder must outlive a failure: the journal points into it.
        let staging = staging.keep();
        let name = staging
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (manifest, mut moves): (Vec<&String>, Vec<&String>) =
            files.iter().partition(|f| f.as_str() == "run.json");
        moves.extend(manifest);
        let remove: Vec<&String> = previous.iter().filter(|p| !files.contains(p)).collect();
        let journal = serde_json::json!({ "staging": name, "move": moves, "remove": remove });
        let path = self.dir.join(JOURNAL);
        let tmp = self.dir.join(format!("{JOURNAL}.tmp"));
        std::fs::write(&tmp, journal.to_string())
            .and_then(|()| File::open(&tmp)?.sync_all())
            .and_then(|()| std::fs::rename(&tmp, &path))
            .map_err(write_err(&path))?;
        roll_forward(&self.dir)
    }
}

/// Carries out the journal in `dir`, if there is one: moves what is still in its staging folder into
/// place, removes the previous run's leftovers, then the journal and the staging folder.
fn roll_forward(dir: &Path) -> Result<()> {
    let path = dir.join(JOURNAL);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(());
    };
    let plan: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let names = |key: &str| -> Vec<String> {
        plan.get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|x| x.as_str())
                    .filter(|n| is_plain_name(n))
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default()
    };
    let staging = plan
        .get("staging")
        .and_then(|v| v.as_str())
        .filter(|n| n.starts_with(STAGING_PREFIX) && !n.contains(['/', '\\']))
        .map(|n| dir.join(n));
    if let Some(staging) = &staging {
        for f in names("move") {
            let from = staging.join(&f);
            if from.exists() {
                let to = dir.join(&f);
                std::fs::rename(&from, &to).map_err(write_err(&to))?;
            }
        }
    }
    for f in names("remove") {
        let _ = std::fs::remove_file(dir.join(f));
    }
    std::fs::remove_file(&path).map_err(write_err(&path))?;
    if let Some(staging) = staging {
        let _ = std::fs::remove_dir_all(staging);
    }
    Ok(())
}

/// The files that the `run.json` in `dir` lists as outputs: plain file names only, so that nothing outside
/// the folder (or a hidden file such as the lock) can be named for removal.
fn previous_outputs(dir: &Path) -> Vec<String> {
    let Ok(text) = std::fs::read_to_string(dir.join("run.json")) else {
        return Vec::new();
    };
    let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
        return Vec::new();
    };
    v.get("outputs")
        .and_then(|o| o.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str())
                .filter(|n| is_plain_name(n))
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `name` is a plain, visible file name: no separator, not `.`/`..`, not hidden.
pub fn is_plain_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name().is_some_and(|f| f == name)
}

/// The identity of the file at `path` (device and inode on Unix), read from its metadata so that nothing is
/// opened (opening a named pipe would block). `-` is standard input, whatever it was redirected from.
pub(crate) fn identity(path: &Path) -> Option<(u64, u64)> {
    let path = if path.as_os_str() == "-" {
        Path::new("/dev/stdin")
    } else {
        path
    };
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        Some((m.dev(), m.ino()))
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        let c = std::fs::canonicalize(path).ok()?;
        use std::hash::{Hash as _, Hasher as _};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        c.hash(&mut h);
        Some((0, h.finish()))
    }
}

/// Fails when `output` is the same file as one of `inputs` (`-` is standard input): writing it would
/// destroy the input.
pub fn refuse_overwrite(output: &Path, inputs: &[&Path], flag: &str) -> Result<()> {
    let Some(out) = identity(output) else {
        return Ok(());
    };
    for input in inputs {
        if identity(input) == Some(out) {
            return Err(Error::Flag {
                flag: flag.into(),
                reason: format!(
                    "{} is also the input {}; writing it would destroy the input: choose another file",
                    output.display(),
                    if input.as_os_str() == "-" {
                        "(standard input)".to_string()
                    } else {
                        input.display().to_string()
                    }
                ),
            });
        }
    }
    Ok(())
}

/// A file written to a temporary file beside it and moved into place only when complete, so that a
/// failure (a full disk, an error in the input) leaves the old file as it was. A path that exists and is
/// not a regular file (`/dev/stdout`, a named pipe) is written directly: it cannot be replaced.
pub struct AtomicFile {
    path: PathBuf,
    tmp: Option<tempfile::NamedTempFile>,
}

impl AtomicFile {
    /// Starts a new version of `path`. A symbolic link is followed (its target gets the new content),
    /// a read-only file is refused, and the new file keeps the old one's permissions.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        let path = match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
            }
            _ => path.to_path_buf(),
        };
        let path = path.as_path();
        let old = std::fs::metadata(path).ok();
        if old.as_ref().is_some_and(|m| !m.is_file()) {
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                tmp: None,
            });
        }
        if old.as_ref().is_some_and(|m| m.permissions().readonly()) {
            return Err(write_err(path)(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "the file is read-only",
            )));
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        if !dir.is_dir() {
            return Err(write_err(path)(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no such directory: {}", dir.display()),
            )));
        }
        let mut b = tempfile::Builder::new();
        b.prefix(".stancemeter-").suffix(".partial");
        // As a newly created file would be (the umask applies), not tempfile's owner-only 0600.
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = b
            .tempfile_in(dir)
            .map_err(|e| write_err(path)(std::io::Error::new(e.kind(), e.kind().to_string())))?;
        if let Some(m) = old {
            tmp.as_file()
                .set_permissions(m.permissions())
                .map_err(write_err(path))?;
        }
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp: Some(tmp),
        })
    }

    /// The file to write into.
    pub fn file(&self) -> Result<File> {
        match &self.tmp {
            Some(t) => t.reopen(),
            None => std::fs::OpenOptions::new().write(true).open(&self.path),
        }
        .map_err(write_err(&self.path))
    }

    /// Makes the new version the file: it replaces the old one only now.
    pub fn persist(self) -> Result<()> {
        let path = self.path;
        let Some(tmp) = self.tmp else {
            return Ok(());
        };
        tmp.as_file().sync_data().map_err(write_err(&path))?;
        tmp.persist(&path)
            .map(|_| ())
            .map_err(|e| write_err(&path)(e.error))
    }
}
