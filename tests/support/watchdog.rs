//! Runs a command under a hang watchdog: minutes, not a speed claim (a CI
//! machine may be ten times slower than a developer's). Both pipes are
//! drained on threads so a chatty child can't block on a full pipe, and a
//! panic of the child fails the test.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Past this, a run counts as a hang.
pub const WATCHDOG: Duration = Duration::from_secs(300);

/// What a watched run did.
pub struct Ran {
    pub code: i32,
    pub stdout: Vec<u8>,
    pub stderr: String,
}

/// Runs `cmd` with `stdin` under the watchdog; fails the test on a hang or
/// a panic.
pub fn watched(cmd: &mut Command, stdin: Stdio) -> Ran {
    let mut child = cmd
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut buf = Vec::new();
        out.read_to_end(&mut buf).map(|_| buf)
    });
    let err = std::thread::spawn(move || {
        let mut buf = Vec::new();
        err.read_to_end(&mut buf).map(|_| buf)
    });
    let deadline = Instant::now() + WATCHDOG;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} still running after {WATCHDOG:?}: a hang");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let ran = Ran {
        code: status.code().expect("killed by a signal"),
        stdout: out.join().unwrap().unwrap(),
        stderr: String::from_utf8_lossy(&err.join().unwrap().unwrap()).into_owned(),
    };
    assert!(
        !ran.stderr.contains("panicked") && ran.code != 101,
        "{cmd:?} panicked:\n{}",
        ran.stderr
    );
    ran
}
