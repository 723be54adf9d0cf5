//! `idpc fmt` on arbitrary bytes: a program that parses is formatted to
//! one that parses, compiles to the same output with the same diagnostics,
//! keeps every comment, and formats to itself.
#![no_main]

use idpc::diag::Sources;
use idpc::{Options, compile, formatter, syntax};
use libfuzzer_sys::fuzz_target;

/// The output and each diagnostic's code and message.
fn compiled(source: &str) -> (Option<String>, Vec<String>) {
    let mut sources = Sources::new();
    let result = compile("fuzz.idp", source.as_bytes(), &Options::default(), &mut sources);
    let diagnostics = result
        .diagnostics
        .iter()
        .map(|d| format!("{:?} {}", d.code, d.message))
        .collect();
    (result.output, diagnostics)
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = syntax::decode(data, 0) else {
        return;
    };
    let Ok(formatted) = formatter::format(source, 0) else {
        assert!(syntax::parse(source, 0).is_err(), "format failed on a program that parses");
        return;
    };
    assert_eq!(
        formatter::format(&formatted, 0).as_ref(),
        Ok(&formatted),
        "formatting is not idempotent"
    );
    let mut before = formatter::comment_texts(source);
    let mut after = formatter::comment_texts(&formatted);
    before.sort();
    after.sort();
    assert_eq!(before, after, "formatting changed the comments");
    assert_eq!(compiled(source), compiled(&formatted), "formatting changed the meaning");
});
