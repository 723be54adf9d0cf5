//! `idpc prove`: every property of a program (its `expect` lines and the
//! isolation its `$<sub>` folders imply), proven, refuted or unknown.

use super::{Cli, EXIT_OK, EXIT_PROGRAM, refused_model};
use clap::{Args, ValueEnum};
use idpc::access::load;
use idpc::diag::Sources;
use idpc::prove::{Outcome, Proof, Property, caller_words, prove_all, with_implied};

/// `idpc prove`.
#[derive(Debug, Args)]
pub struct ProveArgs {
    /// The `.idp` program, or a template / `serverless.yml` (then only the
    /// isolation its `$<sub>` folders imply).
    pub file: std::path::PathBuf,
    /// The output format.
    #[arg(long, value_enum, default_value_t = ProofFormat::Human)]
    pub format: ProofFormat,
}

/// `idpc prove --format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ProofFormat {
    /// One line per property.
    Human,
    /// One JSON object.
    Json,
}

/// Proves every property; exit 1 when a written expectation is refuted.
pub(super) fn run(cli: &Cli, args: &ProveArgs) -> u8 {
    let mut sources = Sources::new();
    let loaded = if idpc::audit::is_template(&args.file) {
        load::from_template(&args.file, &mut sources).map(|model| (Vec::new(), model))
    } else {
        program_properties(&args.file, &mut sources)
    };
    let (written, model) = match loaded {
        Ok(loaded) => loaded,
        Err(diagnostics) => return refused_model(cli, &diagnostics, &sources),
    };
    let properties = with_implied(&model, written);
    let proofs = prove_all(&model, properties);
    let shown = match args.format {
        ProofFormat::Human => human(&proofs, &sources),
        ProofFormat::Json => json(&proofs, &sources),
    };
    print!("{shown}");
    let refuted = proofs
        .iter()
        .any(|p| !p.property.implicit && matches!(p.outcome, Outcome::Refuted(_)));
    if refuted { EXIT_PROGRAM } else { EXIT_OK }
}

/// The program's written properties and its model.
fn program_properties(
    path: &std::path::Path,
    sources: &mut Sources,
) -> Result<(Vec<Property>, idpc::access::model::Model), Vec<idpc::diag::Diagnostic>> {
    let bytes = super::build::read(path).map_err(|d| vec![d])?;
    let options = idpc::Options {
        base_dir: super::build::base_dir(path),
        ..idpc::Options::default()
    };
    let (checked, model) =
        load::checked_program(&path.display().to_string(), &bytes, &options, sources)?;
    Ok((idpc::prove::written(&checked), model))
}

fn line_of(property: &Property, sources: &Sources) -> Option<(String, usize)> {
    let span = property.span?;
    let text = sources.text(span.file);
    Some((
        sources.name(span.file).to_string(),
        text.get(..span.start)?.matches('\n').count() + 1,
    ))
}

fn result_word(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Proven => "proven",
        Outcome::Refuted(_) => "refuted",
        Outcome::Unknown(_) => "unknown",
    }
}

fn human(proofs: &[Proof], sources: &Sources) -> String {
    let mut out = String::new();
    for proof in proofs {
        let at = line_of(&proof.property, sources)
            .map(|(f, l)| format!("{f}:{l}: "))
            .unwrap_or_default();
        let implied = if proof.property.implicit {
            " (implied)"
        } else {
            ""
        };
        out.push_str(&format!(
            "{at}{}: expect {}{implied} ({} ms)\n",
            result_word(&proof.outcome),
            proof.property.text,
            proof.took.as_millis()
        ));
        match &proof.outcome {
            Outcome::Proven => {}
            Outcome::Unknown(why) => out.push_str(&format!("  {why}\n")),
            Outcome::Refuted(found) => {
                out.push_str(&format!("  {}\n", counterexample_words(found, sources)))
            }
        }
    }
    out
}

/// A counterexample in one sentence, with the allowing statement's place.
pub(super) fn counterexample_words(
    found: &idpc::prove::Counterexample,
    sources: &Sources,
) -> String {
    let by = found
        .statement
        .as_ref()
        .map(|o| {
            let at = o
                .span
                .and_then(|s| {
                    let text = sources.text(s.file);
                    Some(format!(
                        " at {}:{}",
                        sources.name(s.file),
                        text.get(..s.start)?.matches('\n').count() + 1
                    ))
                })
                .unwrap_or_default();
            format!(", allowed by a statement of {}{at}", o.holder)
        })
        .unwrap_or_default();
    format!("{}{by}", idpc::prove::report::counterexample_words(found))
}

fn json(proofs: &[Proof], sources: &Sources) -> String {
    let properties: Vec<serde_json::Value> = proofs
        .iter()
        .map(|proof| {
            let (file, line) =
                line_of(&proof.property, sources).map_or((None, None), |(f, l)| (Some(f), Some(l)));
            let (counterexample, reason) = match &proof.outcome {
                Outcome::Refuted(found) => (
                    serde_json::json!({
                        "caller": caller_words(&found.caller),
                        "identity": found.caller.identity,
                        "other_identity": found.victim,
                        "role": found.role,
                        "action": found.action,
                        "resource": found.resource.to_string(),
                        "statement": found.statement.as_ref().map(|o| o.holder.clone()),
                        "context": found.context.iter().cloned().collect::<std::collections::BTreeMap<_, _>>(),
                        "text": counterexample_words(found, sources),
                    }),
                    None,
                ),
                Outcome::Unknown(why) => (serde_json::Value::Null, Some(why.clone())),
                Outcome::Proven => (serde_json::Value::Null, None),
            };
            serde_json::json!({
                "file": file,
                "line": line,
                "kind": kind_word(&proof.property),
                "implicit": proof.property.implicit,
                "text": proof.property.text,
                "result": result_word(&proof.outcome),
                "millis": proof.took.as_millis() as u64,
                "counterexample": counterexample,
                "reason": reason,
            })
        })
        .collect();
    format!("{}\n", serde_json::json!({ "properties": properties }))
}

fn kind_word(property: &Property) -> &'static str {
    match property.kind {
        idpc::prove::PropertyKind::Isolated { .. } => "isolated",
        idpc::prove::PropertyKind::Cannot { .. } => "cannot",
        idpc::prove::PropertyKind::OnlyVia { .. } => "only_via",
    }
}
