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
    /// `run.json` listed and this run did not write.
    pub fn commit(mut self, files: &[String]) -> Result<()> {
        let previous = previous_outputs(&self.dir);
        let staging = self.staging().to_path_buf();
        let (manifest, rest): (Vec<&String>, Vec<&String>) =
            files.iter().partition(|f| f.as_str() == "run.json");
        for f in rest.into_iter().chain(manifest) {
            let (from, to) = (staging.join(f), self.dir.join(f));
            std::fs::rename(&from, &to).map_err(write_err(&to))?;
        }
        for old in previous {
            if !files.contains(&old) {
                let _ = std::fs::remove_file(self.dir.join(&old));
            }
        }
        drop(self.staging.take());
        Ok(())
    }
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

/// Fails when `output` is the same file as one of `inputs`: writing it would destroy the input.
pub fn refuse_overwrite(output: &Path, inputs: &[&Path], flag: &str) -> Result<()> {
    for input in inputs {
        if input.as_os_str() == "-" {
            continue;
        }
        if same_file::is_same_file(input, output).unwrap_or(false) {
            return Err(Error::Flag {
                flag: flag.into(),
                reason: format!(
                    "{} is also the input {}; writing it would destroy the input: choose another file",
                    output.display(),
                    input.display()
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
    /// Starts a new version of `path`.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file()) {
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                tmp: None,
            });
        }
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let mut b = tempfile::Builder::new();
        b.prefix(".stancemeter-").suffix(".partial");
        // As a newly created file would be (the umask applies), not tempfile's owner-only 0600.
        #[cfg(unix)]
        b.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let tmp = b.tempfile_in(dir).map_err(write_err(path))?;
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
