//! The whole pipeline on arbitrary bytes: decode, parse, check, lower and
//! emit, for both targets and both formats, then both diagnostic renderers.
//! Beyond "no panic, no hang", it checks what must always hold: output
//! exactly when there is no error, JSON output and JSON diagnostics parse.
#![no_main]

use idpc::diag::{MAX_LISTED, Sources, render_json, render_plain};
use idpc::{Format, Options, Target, compile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for (target, format) in [
        (Target::Serverless, Format::Yaml),
        (Target::CloudFormation, Format::Json),
    ] {
        let options = Options {
            target,
            format,
            // No base directory: `use "path"` is an error, never file I/O.
            base_dir: None,
            ..Options::default()
        };
        let mut sources = Sources::new();
        let compiled = compile("fuzz.idp", data, &options, &mut sources);
        assert_eq!(compiled.output.is_some(), !compiled.has_errors());
        if let (Some(output), Format::Json) = (&compiled.output, format) {
            serde_json::from_str::<serde_json::Value>(output).expect("JSON output parses");
        }
        let plain = render_plain(&compiled.diagnostics, &sources);
        assert_eq!(plain.is_empty(), compiled.diagnostics.is_empty());
        let json = render_json(&compiled.diagnostics, &sources);
        // One line a diagnostic, up to the cap; past it, one summary line.
        let count = compiled.diagnostics.len();
        let lines = count.min(MAX_LISTED) + usize::from(count > MAX_LISTED);
        assert_eq!(json.lines().count(), lines);
        for line in json.lines() {
            serde_json::from_str::<serde_json::Value>(line).expect("JSON diagnostic parses");
        }
    }
});
