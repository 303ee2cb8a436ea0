//! One module per subcommand: each turns its arguments into library calls and prints what came of them.

pub mod eval;
pub mod init;
pub mod learn;
pub mod run;
pub mod score;

use stancemeter::Error;
use std::io::Write;
use std::process::ExitCode;

/// Prints to stdout. A closed pipe (`stancemeter eval | head -1`) is not a failure: it ends the command
/// quietly through [`exit`], and printing never panics.
pub fn out(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

/// Prints a line to stderr; a closed stderr is ignored.
pub fn note(text: &str) {
    let _ = writeln!(std::io::stderr().lock(), "stancemeter: {text}");
}

/// Warns on stderr of each target whose model was trained on other cues than its own.
pub fn warn_model_mismatch(targets: &[stancemeter::stance::Target]) {
    for w in targets
        .iter()
        .filter_map(stancemeter::stance::Target::model_mismatch)
    {
        note(&format!("warning: {w}"));
    }
}

/// Set by `run` and `score` when they read records without --skip-bad: a bad record's error then says
/// how to go on past it.
pub static SKIP_BAD_HINT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// The process exit code for a command's result, with the error printed in words.
pub fn exit(result: anyhow::Result<()>) -> ExitCode {
    let Err(e) = result else {
        return ExitCode::SUCCESS;
    };
    let lib = e.downcast_ref::<Error>();
    let pipe = e
        .downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
    if pipe || lib.is_some_and(Error::is_broken_pipe) {
        return ExitCode::SUCCESS;
    }
    // Library messages already name their cause; print each link of the chain once.
    let mut msg = String::new();
    for cause in e.chain() {
        // An I/O cause in the library's words, so that it is not said twice in two styles.
        let cause = cause
            .downcast_ref::<std::io::Error>()
            .map_or_else(|| cause.to_string(), stancemeter::error::io_words);
        if !msg.contains(&cause) {
            if !msg.is_empty() {
                msg += ": ";
            }
            msg += &cause;
        }
    }
    note(&format!("error: {msg}"));
    // Not for a whole file that cannot be read as records (its encoding, or no text at all).
    if matches!(lib, Some(Error::Record { field, .. }) if field != "content" && field != "encoding")
        && SKIP_BAD_HINT.load(std::sync::atomic::Ordering::Relaxed)
    {
        note(
            "hint: --skip-bad writes bad records with their line and reason to rejects.csv (score: to stderr), and scores the rest",
        );
    }
    ExitCode::from(lib.map_or(1, Error::exit_code) as u8)
}
