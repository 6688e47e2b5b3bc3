//! A pinned cfn-lint in a virtualenv under `target/cfn-lint-venv`, created
//! with `python3 -m venv` and pip on first use and reused afterwards. A lock
//! file keeps parallel tests (and parallel test binaries) from racing. If
//! Python or pip is missing the calling test fails with a clear message: the
//! lint gate is never skipped.

use std::fs::{self, OpenOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// The pinned version.
pub const VERSION: &str = "1.58.0";

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("target"),
    }
}

fn venv_dir() -> PathBuf {
    target_dir().join("cfn-lint-venv")
}

fn binary(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("cfn-lint.exe")
    } else {
        venv.join("bin").join("cfn-lint")
    }
}

fn python_in(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

/// Held while the venv is being created; removed on drop.
struct Lock(PathBuf);

impl Lock {
    fn acquire(path: PathBuf) -> Lock {
        let start = Instant::now();
        loop {
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(_) => return Lock(path),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    // A lock older than ten minutes belongs to a crashed run.
                    let stale = fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > Duration::from_secs(600));
                    if stale {
                        let _ = fs::remove_file(&path);
                        continue;
                    }
                    assert!(
                        start.elapsed() < Duration::from_secs(900),
                        "timed out waiting for {} (another test is installing cfn-lint; delete the file if no test is running)",
                        path.display()
                    );
                    std::thread::sleep(Duration::from_millis(200));
                }
                Err(e) => panic!("cannot create lock file {}: {e}", path.display()),
            }
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.0);
    }
}

fn run(cmd: &mut Command, what: &str) {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!(
            "cfn-lint setup: cannot run {what} ({e}). The CloudFormation tests need Python 3 with \
             the venv module and pip (e.g. `apt-get install python3 python3-venv python3-pip`)."
        )
    });
    assert!(
        out.status.success(),
        "cfn-lint setup: {what} failed ({}).\nstdout:\n{}\nstderr:\n{}\nThe CloudFormation tests need \
         Python 3 with venv and pip, and network access to PyPI on first run.",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The path of a working cfn-lint of the pinned version, installing it on first use.
pub fn cfn_lint() -> PathBuf {
    let venv = venv_dir();
    let marker = venv.join(format!(".drsc-cfn-lint-{VERSION}"));
    if marker.exists() {
        return binary(&venv);
    }
    fs::create_dir_all(target_dir()).expect("create target dir");
    let _lock = Lock::acquire(target_dir().join("cfn-lint-venv.lock"));
    if marker.exists() {
        return binary(&venv);
    }
    if venv.exists() {
        fs::remove_dir_all(&venv).expect("remove a half-built cfn-lint venv");
    }
    let python = std::env::var("DRSC_PYTHON").unwrap_or_else(|_| "python3".into());
    run(
        Command::new(&python).args(["-m", "venv"]).arg(&venv),
        &format!("`{python} -m venv {}`", venv.display()),
    );
    run(
        Command::new(python_in(&venv)).args([
            "-m",
            "pip",
            "install",
            "--disable-pip-version-check",
            "--quiet",
            &format!("cfn-lint=={VERSION}"),
        ]),
        &format!("`pip install cfn-lint=={VERSION}`"),
    );
    let bin = binary(&venv);
    let out = Command::new(&bin)
        .arg("--version")
        .output()
        .expect("run cfn-lint --version");
    let version = String::from_utf8_lossy(&out.stdout);
    assert!(
        version.contains(VERSION),
        "installed cfn-lint reports `{}`, expected {VERSION}",
        version.trim()
    );
    fs::write(&marker, VERSION).expect("write the cfn-lint marker");
    bin
}

/// Runs cfn-lint on `templates` for both regions; returns its findings
/// (errors, warnings; informational findings are not requested), one per line.
pub fn lint(templates: &[PathBuf]) -> Vec<String> {
    let bin = cfn_lint();
    let out = Command::new(&bin)
        .args([
            "--format",
            "parseable",
            "--regions",
            "us-east-1",
            "us-west-2",
            "--",
        ])
        .args(templates)
        .output()
        .expect("run cfn-lint");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let findings: Vec<String> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(String::from)
        .collect();
    if findings.is_empty() && !out.status.success() {
        panic!(
            "cfn-lint failed without findings ({}): {stderr}",
            out.status
        );
    }
    findings
}
