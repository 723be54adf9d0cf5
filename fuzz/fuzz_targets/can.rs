//! `idpc can` on arbitrary templates: the access model read from any text
//! (as YAML and as JSON), then a guest's and a signed-in user's question to
//! every pool: no panic, no hang. Seeds: the templates under
//! `tests/fixtures` and what `idpc build` writes.
#![no_main]

use idpc::access::cognito::{Caller, CallerKind, can};
use idpc::access::eval::Context;
use idpc::access::load::{from_template_text, resource_arn};
use idpc::diag::Sources;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for name in ["fuzz.yml", "fuzz.json"] {
        let mut sources = Sources::new();
        let Ok(model) = from_template_text(name, text, &mut sources) else {
            continue;
        };
        let resources: Vec<String> = model
            .resources
            .iter()
            .map(|(id, _)| format!("{id}/x"))
            .chain(["*".to_string(), "arn:aws:s3:::b/x".to_string()])
            .collect();
        for pool in &model.pools {
            for kind in [
                CallerKind::Guest,
                CallerKind::SignedIn {
                    provider: None,
                    claims: vec![("cognito:groups".into(), "admin".into())],
                },
            ] {
                let caller = Caller {
                    pool: pool.id.clone(),
                    kind,
                    identity: "us-east-1:1".into(),
                };
                for resource in &resources {
                    if let Ok(arn) = resource_arn(&model, resource) {
                        let _ = can(&model, &caller, "s3:GetObject", &arn, &Context::new());
                    }
                }
            }
        }
    }
});
