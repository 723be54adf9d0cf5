//! The audit (`idpc check` of a template) on arbitrary text, as YAML and as
//! JSON: no panic, no hang, and every diagnostic renders. Seeds: the
//! templates under `tests/fixtures` and what `idpc build` writes.
#![no_main]

use idpc::Options;
use idpc::audit::audit_text;
use idpc::diag::{Sources, render_plain};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["fuzz.yml", "fuzz.json"] {
        let mut sources = Sources::new();
        let audit = audit_text(name, text, &Options::default(), &mut sources);
        let plain = render_plain(&audit.diagnostics, &sources);
        assert_eq!(plain.is_empty(), audit.diagnostics.is_empty());
    }
});
