//! Link-time settings for the command-line binary only; dependencies are not affected (#17).
//!
//! Rust links x86-64 Linux binaries with LLD (rust-lld) by default since 1.90:
//! - identical code folding merges functions whose machine code is the same, which polars' many
//!   monomorphised kernels often are (about 1.2 MB);
//! - packed relative relocations (DT_RELR) shrink the position-independent executable's relocation
//!   table from 2.6 MB to 33 kB. They need glibc 2.36 or later to load, so they are used only when the
//!   glibc the binary is built against is that new (the binary then names GLIBC_ABI_DT_RELR, and an older
//!   glibc refuses it with a clear message instead of misloading it).
//!
//! Other targets and linkers get nothing.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("TARGET").ok().as_deref() != Some("x86_64-unknown-linux-gnu") {
        return;
    }
    println!("cargo:rustc-link-arg-bins=-Wl,--icf=all");
    if glibc_at_least(2, 36) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the build machine's glibc (`getconf GNU_LIBC_VERSION`: "glibc 2.36") is at least `major.minor`.
fn glibc_at_least(major: u32, minor: u32) -> bool {
    let Ok(out) = std::process::Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
    else {
        return false;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    let mut parts = text
        .trim()
        .trim_start_matches("glibc ")
        .split('.')
        .map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (a, b) >= (major, minor)
}
