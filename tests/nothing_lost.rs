//! Nothing lost: `idpc build -o OUT` on any error leaves an existing `OUT`
//! byte-identical and no temporary file behind, and builds racing to the
//! same `OUT` leave one complete output of one of them. No input hangs a
//! command (a FIFO, `/dev/zero`, an endless stdin); `-o` never overwrites a
//! file the command read, nor replaces a symlink, a FIFO or a device; new
//! outputs get the umask's permissions; `idpc fmt` leaves symlinks and
//! read-only files alone (README, "Robustness").

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "support/watchdog.rs"]
mod watchdog;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use watchdog::watched;

const EXISTING: &[u8] = b"# an earlier build's output, which must survive\nResources: {}\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn idpc() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_idpc"));
    cmd.env_remove("RUST_BACKTRACE").args(["--color", "never"]);
    cmd
}

fn no_panic(output: &Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Builds `input` with `-o out.yml` over an existing `out.yml` and checks
/// the build failed with `code`, `out.yml` is untouched and nothing else
/// appeared in its directory.
fn fails_and_keeps_output(input: &Path, extra: &[&str], code: i32) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.yml");
    std::fs::write(&out, EXISTING).unwrap();
    let output = idpc()
        .args(extra)
        .arg("build")
        .arg(input)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(std::fs::read(&out).unwrap(), EXISTING, "OUT was changed");
    assert_eq!(
        entries(dir.path()),
        ["out.yml"],
        "something was left behind"
    );
    assert!(output.stdout.is_empty());
}

fn program(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_parse_error_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "p.idp",
        b"identity_pool P {\n  authenticated role {\n",
    );
    fails_and_keeps_output(&p, &[], 1);
}

#[test]
fn a_check_error_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "p.idp",
        b"use bucket B\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObjekt on B/*\n  }\n}\n",
    );
    fails_and_keeps_output(&p, &[], 1);
}

#[test]
fn a_warning_under_deny_warnings_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(
        dir.path(),
        "p.idp",
        b"use bucket B, Unused\nidentity_pool P {\n  authenticated role {\n    allow s3:GetObject on B/*\n  }\n}\n",
    );
    fails_and_keeps_output(&p, &["--deny-warnings"], 1);
}

#[test]
fn input_that_is_not_utf8_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = program(dir.path(), "p.idp", b"use bucket B\n\xff");
    fails_and_keeps_output(&p, &[], 1);
}

#[test]
fn unreadable_input_keeps_the_output() {
    let dir = tempfile::tempdir().unwrap();
    // Missing, a directory, and (for a user that permissions apply to) a
    // file that may not be read.
    fails_and_keeps_output(&dir.path().join("missing.idp"), &[], 2);
    fails_and_keeps_output(dir.path(), &[], 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = program(dir.path(), "secret.idp", b"");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::read(&p).is_err() {
            fails_and_keeps_output(&p, &[], 2);
        }
    }
}

#[test]
fn an_output_that_cannot_be_replaced_leaves_no_temporary_file() {
    // `-o` names a non-empty directory: the rename fails after the
    // temporary file was written; it must be cleaned up.
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.yml");
    std::fs::create_dir(&target).unwrap();
    std::fs::write(target.join("keep"), EXISTING).unwrap();
    let output = idpc()
        .arg("build")
        .arg(root().join("examples/notes.idp"))
        .arg("-o")
        .arg(&target)
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(entries(dir.path()), ["out.yml"]);
    assert_eq!(std::fs::read(target.join("keep")).unwrap(), EXISTING);
}

#[test]
fn racing_builds_leave_one_complete_output() {
    let programs = ["notes.idp", "social-login.idp", "guest-access.idp"]
        .map(|name| root().join("examples").join(name));
    // What each program builds to, on its own.
    let expected: Vec<Vec<u8>> = programs
        .iter()
        .map(|p| {
            let output = idpc().arg("build").arg(p).output().unwrap();
            assert!(output.status.success());
            output.stdout
        })
        .collect();
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("identity-pool.yml");
        if round % 2 == 1 {
            std::fs::write(&out, EXISTING).unwrap();
        }
        let children: Vec<_> = (0..8)
            .map(|i| {
                idpc()
                    .arg("build")
                    .arg(&programs[i % programs.len()])
                    .arg("-o")
                    .arg(&out)
                    .stdout(Stdio::null())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let output = child.wait_with_output().unwrap();
            no_panic(&output);
            assert!(
                output.status.success(),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let written = std::fs::read(&out).unwrap();
        assert!(
            expected.contains(&written),
            "round {round}: the output is none of the programs' outputs:\n{}",
            String::from_utf8_lossy(&written)
        );
        assert_eq!(
            entries(dir.path()),
            ["identity-pool.yml"],
            "round {round}: temporary files left behind"
        );
    }
}

// ---------------------------------------------------------------------------
// Inputs that are not regular files, and `-o` onto what the command reads.
// A run that would hang without the fix is killed by the watchdog, so the
// regression fails instead of hanging.

/// The largest program idpc reads (README, "Robustness").
const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success(), "mkfifo {}", path.display());
}

#[cfg(unix)]
fn is_fifo(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .file_type()
        .is_fifo()
}

/// A template `idpc import` turns back into a program.
fn template(dir: &Path) -> PathBuf {
    let path = dir.join("template.yml");
    let output = idpc()
        .arg("build")
        .arg(root().join("examples/notes.idp"))
        .arg("-o")
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success());
    path
}

#[test]
#[cfg(unix)]
fn a_fifo_is_refused_not_waited_on() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("pipe.idp");
    mkfifo(&fifo);
    for command in [
        &["check"][..],
        &["build"],
        &["uses"],
        &["graph"],
        &["fmt"],
        &["fmt", "--check"],
        &["import"],
    ] {
        let ran = watched(idpc().args(command).arg(&fifo), Stdio::null());
        assert_eq!(ran.code, 2, "{command:?}: {}", ran.stderr);
        assert!(ran.stderr.contains("E0901"), "{}", ran.stderr);
        assert!(ran.stderr.contains("FIFO"), "{}", ran.stderr);
        assert!(ran.stdout.is_empty());
    }
    assert!(is_fifo(&fifo), "the FIFO was replaced");
}

#[test]
#[cfg(unix)]
fn a_fifo_as_idpc_toml_or_stack_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let program = dir.path().join("p.idp");
    std::fs::write(&program, "use \"stack.yml\"\n").unwrap();
    mkfifo(&dir.path().join("stack.yml"));
    let ran = watched(idpc().arg("check").arg(&program), Stdio::null());
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(ran.stderr.contains("E0301"), "{}", ran.stderr);
    assert!(ran.stderr.contains("FIFO"), "{}", ran.stderr);

    mkfifo(&dir.path().join("idpc.toml"));
    let ran = watched(idpc().arg("check").arg(&program), Stdio::null());
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("idpc.toml"), "{}", ran.stderr);
    assert!(ran.stderr.contains("FIFO"), "{}", ran.stderr);
}

#[test]
#[cfg(unix)]
fn an_endless_device_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    for command in [&["check"][..], &["build"], &["fmt"], &["import"]] {
        let ran = watched(idpc().args(command).arg("/dev/zero"), Stdio::null());
        assert_eq!(ran.code, 2, "{command:?}: {}", ran.stderr);
        assert!(ran.stderr.contains("character device"), "{}", ran.stderr);
    }
    let program = dir.path().join("p.idp");
    std::fs::write(&program, "use \"/dev/zero\"\n").unwrap();
    let ran = watched(idpc().arg("check").arg(&program), Stdio::null());
    assert_eq!(ran.code, 1, "{}", ran.stderr);
    assert!(ran.stderr.contains("E0301"), "{}", ran.stderr);
}

#[test]
#[cfg(unix)]
fn stdin_is_read_with_a_bound() {
    // An endless stdin, given on purpose to `fmt -`, stops at the limit.
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let ran = watched(idpc().args(["fmt", "-"]), Stdio::from(zero));
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(
        ran.stderr
            .contains(&format!("limited to {MAX_INPUT_BYTES} bytes")),
        "{}",
        ran.stderr
    );
    assert!(ran.stdout.is_empty());
    // One byte over the limit, of a program that would otherwise format.
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("big.idp");
    std::fs::write(&big, "#".repeat(MAX_INPUT_BYTES + 1)).unwrap();
    let ran = watched(
        idpc().args(["fmt", "-"]),
        Stdio::from(std::fs::File::open(&big).unwrap()),
    );
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    // The limit itself is fine.
    std::fs::write(&big, "#".repeat(MAX_INPUT_BYTES)).unwrap();
    let ran = watched(
        idpc().args(["fmt", "-"]),
        Stdio::from(std::fs::File::open(&big).unwrap()),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
}

/// Runs a command whose `-o` is one of its inputs and checks it was
/// refused (E0903, exit 2) and nothing in `dir` changed.
fn refused_as_input(dir: &Path, args: &[&std::ffi::OsStr]) {
    let before: Vec<(String, Vec<u8>)> = entries(dir)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap_or_default();
            (name, bytes)
        })
        .collect();
    let ran = watched(idpc().current_dir(dir).args(args), Stdio::null());
    assert_eq!(ran.code, 2, "{args:?}: {}", ran.stderr);
    assert!(ran.stderr.contains("E0903"), "{}", ran.stderr);
    assert!(ran.stdout.is_empty());
    let after: Vec<(String, Vec<u8>)> = entries(dir)
        .into_iter()
        .map(|name| {
            let bytes = std::fs::read(dir.join(&name)).unwrap_or_default();
            (name, bytes)
        })
        .collect();
    assert_eq!(before, after, "{args:?} touched the directory");
}

fn os(args: &[&str]) -> Vec<std::ffi::OsString> {
    args.iter().map(std::ffi::OsString::from).collect()
}

#[test]
fn output_onto_the_program_or_its_template_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(root().join("examples/notes.idp"), d.join("p.idp")).unwrap();
    template(d);
    std::fs::create_dir(d.join("sub")).unwrap();
    for args in [
        os(&["build", "p.idp", "-o", "p.idp"]),
        os(&["build", "p.idp", "-o", "./sub/../p.idp"]),
        os(&["graph", "p.idp", "-o", "p.idp"]),
        os(&["import", "template.yml", "-o", "template.yml"]),
    ] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        refused_as_input(d, &args);
    }
}

#[test]
fn output_onto_idpc_toml_or_a_hard_link_to_the_program_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(root().join("examples/notes.idp"), d.join("p.idp")).unwrap();
    std::fs::write(d.join("idpc.toml"), "[lints]\nW0101 = \"warn\"\n").unwrap();
    std::fs::hard_link(d.join("p.idp"), d.join("alias.yml")).unwrap();
    for args in [
        os(&["build", "p.idp", "-o", "idpc.toml"]),
        os(&["build", "p.idp", "-o", "alias.yml"]),
    ] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        refused_as_input(d, &args);
    }
}

/// A Serverless app whose program reads `serverless.yml`, which includes
/// the program's own output `build/pool.yml` and a resources file.
fn serverless_app() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("build")).unwrap();
    std::fs::create_dir(d.join("resources")).unwrap();
    std::fs::write(
        d.join("serverless.yml"),
        "service: notes\nprovider:\n  name: aws\nresources:\n  - ${file(resources/bucket.yml)}\n  - ${file(build/pool.yml)}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("resources/bucket.yml"),
        "Resources:\n  Files:\n    Type: AWS::S3::Bucket\n",
    )
    .unwrap();
    std::fs::write(
        d.join("pool.idp"),
        "use \"serverless.yml\"\n\nidentity_pool Pool {\n  authenticated role {\n    allow s3:GetObject on Files/private/$<sub>/*\n  }\n}\n",
    )
    .unwrap();
    dir
}

#[test]
fn output_onto_a_stack_file_the_program_reads_is_refused() {
    let app = serverless_app();
    let d = app.path();
    for args in [
        os(&["build", "pool.idp", "-o", "serverless.yml"]),
        os(&["build", "pool.idp", "-o", "resources/bucket.yml"]),
        os(&["graph", "pool.idp", "-o", "serverless.yml"]),
    ] {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| a.as_os_str()).collect();
        refused_as_input(d, &args);
    }
}

#[test]
fn the_programs_own_output_included_by_the_stack_is_rebuilt() {
    // The usual workflow: serverless.yml includes what the build writes;
    // from the second build on, the stack reads it, and it is still the
    // build's to replace.
    let app = serverless_app();
    let d = app.path();
    for round in 0..2 {
        let ran = watched(
            idpc()
                .current_dir(d)
                .args(["build", "pool.idp", "-o", "build/pool.yml"]),
            Stdio::null(),
        );
        assert_eq!(ran.code, 0, "round {round}: {}", ran.stderr);
    }
    let written = std::fs::read_to_string(d.join("build/pool.yml")).unwrap();
    assert!(written.starts_with("# Generated by idpc from pool.idp."));
}

#[test]
#[cfg(unix)]
fn output_through_a_symlink_writes_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::create_dir(d.join("real")).unwrap();
    std::fs::write(d.join("real/out.yml"), EXISTING).unwrap();
    std::os::unix::fs::symlink("real/out.yml", d.join("link.yml")).unwrap();
    // A dangling link: its target is created.
    std::os::unix::fs::symlink("real/new.yml", d.join("dangling.yml")).unwrap();
    for (link, target) in [
        ("link.yml", "real/out.yml"),
        ("dangling.yml", "real/new.yml"),
    ] {
        let ran = watched(
            idpc()
                .current_dir(d)
                .arg("build")
                .arg(root().join("examples/notes.idp"))
                .args(["-o", link]),
            Stdio::null(),
        );
        assert_eq!(ran.code, 0, "{}", ran.stderr);
        let link_meta = std::fs::symlink_metadata(d.join(link)).unwrap();
        assert!(link_meta.file_type().is_symlink(), "{link} was replaced");
        let written = std::fs::read_to_string(d.join(target)).unwrap();
        assert!(written.contains("CognitoIdentityPool:"), "{written}");
    }
    assert_eq!(entries(d), ["dangling.yml", "link.yml", "real"]);
    assert_eq!(entries(&d.join("real")), ["new.yml", "out.yml"]);
}

#[test]
#[cfg(unix)]
fn output_to_a_fifo_is_written_into_it_not_renamed_over_it() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("out.yml");
    mkfifo(&fifo);
    // The reader is a process under the watchdog too: were the FIFO renamed
    // over, it would wait for a writer forever.
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || watched(Command::new("cat").arg(&fifo), Stdio::null()))
    };
    let ran = watched(
        idpc()
            .arg("build")
            .arg(root().join("examples/notes.idp"))
            .arg("-o")
            .arg(&fifo),
        Stdio::null(),
    );
    if ran.code != 0 && is_fifo(&fifo) {
        // Let the reader go: it waits for a writer.
        drop(std::fs::OpenOptions::new().write(true).open(&fifo));
    }
    let read = reader.join().unwrap();
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let read = String::from_utf8(read.stdout).unwrap();
    assert!(read.contains("CognitoIdentityPool:"), "{read}");
    assert!(is_fifo(&fifo), "the FIFO was replaced by a file");
    assert_eq!(entries(dir.path()), ["out.yml"]);
}

#[test]
#[cfg(unix)]
fn output_to_a_character_device_is_written_into_it_not_renamed_over_it() {
    use std::os::unix::fs::FileTypeExt;
    // A private copy of /dev/null (major 1, minor 3), so that a regression
    // cannot destroy the real one; only root may make it.
    let dir = tempfile::tempdir().unwrap();
    let null = dir.path().join("null");
    let made = Command::new("mknod")
        .arg(&null)
        .args(["c", "1", "3"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    if !made {
        eprintln!("skipped: mknod needs root");
        return;
    }
    let ran = watched(
        idpc()
            .arg("build")
            .arg(root().join("examples/notes.idp"))
            .arg("-o")
            .arg(&null),
        Stdio::null(),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let kind = std::fs::symlink_metadata(&null).unwrap().file_type();
    assert!(kind.is_char_device(), "the device was replaced by a file");
    assert_eq!(entries(dir.path()), ["null"]);
}

/// Runs `idpc build notes.idp -o OUT` under `umask`.
#[cfg(unix)]
fn build_under_umask(umask: &str, out: &Path) {
    let ran = watched(
        Command::new("sh")
            .arg("-c")
            .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
            .arg(env!("CARGO_BIN_EXE_idpc"))
            .arg("build")
            .arg(root().join("examples/notes.idp"))
            .arg("-o")
            .arg(out),
        Stdio::null(),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
}

#[test]
#[cfg(unix)]
fn a_new_output_gets_the_permissions_the_umask_allows() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    for (umask, expected) in [("022", 0o644), ("002", 0o664), ("077", 0o600)] {
        let out = dir.path().join(format!("new-{umask}.yml"));
        build_under_umask(umask, &out);
        assert_eq!(mode(&out), expected, "umask {umask}");
    }
    // An existing output keeps its own permissions, whatever the umask.
    let kept = dir.path().join("kept.yml");
    std::fs::write(&kept, EXISTING).unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    build_under_umask("077", &kept);
    assert_eq!(mode(&kept), 0o640);
}

const UNFORMATTED: &[u8] = b"use bucket B\nidentity_pool P {\n  authenticated role {\n        allow s3:GetObject on B/*\n  }\n}\n";

#[test]
#[cfg(unix)]
fn fmt_formats_a_symlinks_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("real.idp"), UNFORMATTED).unwrap();
    std::os::unix::fs::symlink("real.idp", d.join("link.idp")).unwrap();
    let ran = watched(
        idpc().current_dir(d).args(["fmt", "link.idp"]),
        Stdio::null(),
    );
    assert_eq!(ran.code, 0, "{}", ran.stderr);
    let link = std::fs::symlink_metadata(d.join("link.idp")).unwrap();
    assert!(link.file_type().is_symlink(), "the link was replaced");
    let formatted = std::fs::read(d.join("real.idp")).unwrap();
    assert_ne!(formatted, UNFORMATTED);
    assert!(
        String::from_utf8(formatted)
            .unwrap()
            .contains("\n    allow s3:GetObject")
    );
    assert_eq!(entries(d), ["link.idp", "real.idp"]);
}

#[test]
#[cfg(unix)]
fn fmt_leaves_a_read_only_file_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("locked.idp");
    std::fs::write(&file, UNFORMATTED).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let ran = watched(idpc().arg("fmt").arg(&file), Stdio::null());
    assert_eq!(ran.code, 2, "{}", ran.stderr);
    assert!(ran.stderr.contains("E0902"), "{}", ran.stderr);
    assert!(ran.stderr.contains("read-only"), "{}", ran.stderr);
    assert_eq!(std::fs::read(&file).unwrap(), UNFORMATTED);
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
    assert_eq!(entries(dir.path()), ["locked.idp"]);
}
