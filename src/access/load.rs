//! The [`Model`] of a file: a program (checked, then lowered: the model
//! sees what `idpc build` writes, and points at the program's lines) or a
//! template, a Serverless resources file or a `serverless.yml` with its
//! includes (read as the audit reads them).

use std::path::Path;

use super::model::Model;
use super::policy::Origin;
use super::text::WholeNames;
use crate::diag::{Code, Diagnostic, Severity, Sources};
use crate::source::Span;
use crate::stack_reader::{self, Limits, tree};

/// The model of the program or template at `path`, or the diagnostics that
/// keep idpc from reading it (a program must check without errors).
pub fn load(
    path: &Path,
    options: &crate::Options,
    sources: &mut Sources,
) -> Result<Model, Vec<Diagnostic>> {
    if crate::audit::is_template(path) {
        return from_template(path, sources);
    }
    let (bytes, _) = crate::files::read_regular(path, 16 * 1024 * 1024).map_err(|err| {
        vec![Diagnostic::unlabelled(
            Code::E0901,
            format!(
                "cannot read `{}`: {}",
                path.display(),
                err.reason("programs")
            ),
        )]
    })?;
    let mut options = options.clone();
    if options.base_dir.is_none() {
        options.base_dir = path.parent().map(Path::to_path_buf);
    }
    from_program(&path.display().to_string(), &bytes, &options, sources)
}

/// The model of a program given as bytes, shown as `name`.
pub fn from_program(
    name: &str,
    bytes: &[u8],
    options: &crate::Options,
    sources: &mut Sources,
) -> Result<Model, Vec<Diagnostic>> {
    checked_program(name, bytes, options, sources).map(|(_, model)| model)
}

/// The checked program given as bytes, shown as `name`, and its model.
pub fn checked_program(
    name: &str,
    bytes: &[u8],
    options: &crate::Options,
    sources: &mut Sources,
) -> Result<(crate::check::Checked, Model), Vec<Diagnostic>> {
    let checked = crate::check_program(name, bytes, options, sources);
    let Some(program) = checked.checked else {
        return Err(checked
            .diagnostics
            .into_iter()
            .filter(|d| d.severity() == Severity::Error)
            .collect());
    };
    let model = of_checked(&program).map_err(|bug| vec![bug])?;
    Ok((program, model))
}

/// The model of a checked program; an error only on an idpc bug (what the
/// checker accepted does not lower, or its output does not read back).
pub fn of_checked(program: &crate::check::Checked) -> Result<Model, Diagnostic> {
    let target = crate::Target::CloudFormation;
    let template =
        crate::lower::lower(program, target).map_err(|duplicate| duplicate.to_diagnostic())?;
    let bug = |why: String| {
        Diagnostic::unlabelled(
            Code::E0005,
            format!("idpc could not read back its own output to prove or answer: {why}"),
        )
        .with_help("this is an idpc bug: please report it with the program")
    };
    let json = serde_json::to_string(&template).map_err(|e| bug(e.to_string()))?;
    let mut scratch = Sources::new();
    let file = scratch.add("lowered.json", &json);
    // Its own output: no limit but nesting, whatever the program's size.
    let limits = Limits {
        max_file_bytes: u64::MAX,
        max_nodes: usize::MAX,
        ..Limits::default()
    };
    let root = tree::parse(&json, file, true, &limits).map_err(|(why, _)| bug(why.to_string()))?;
    let resources = crate::audit::resources_of(&root);
    let mut model = super::read::model(&resources);
    model.resources.extend(program.external().iter().cloned());
    model.whole_names = WholeNames::of(&model.resources);
    let places = statement_places(program, target);
    for policy in model
        .roles
        .iter_mut()
        .flat_map(|r| r.policies.iter_mut().chain(std::iter::once(&mut r.trust)))
    {
        for statement in &mut policy.statements {
            statement.origin = place(&statement.origin, &json, &places);
        }
    }
    for pool in &mut model.pools {
        pool.span = program
            .pools()
            .iter()
            .find(|p| p.logical_id == pool.id)
            .map(|p| p.span);
    }
    for role in &mut model.roles {
        role.span = role
            .policies
            .iter()
            .flat_map(|p| &p.statements)
            .find_map(|s| s.origin.span);
    }
    Ok(model)
}

/// Each statement the program writes: its holder (as the model names it),
/// its lowered JSON, and where the program writes it.
fn statement_places(
    program: &crate::check::Checked,
    target: crate::Target,
) -> Vec<(String, serde_json::Value, Span)> {
    let mut places = Vec::new();
    let mut add = |holder: String, statements: &[crate::check::ir::Statement]| {
        for statement in statements {
            if let Ok(lowered) = crate::lower::statement(statement, target)
                && let Ok(json) = serde_json::to_value(&lowered)
            {
                places.push((holder.clone(), json, statement.origin.span));
            }
        }
    };
    let roles = program
        .pools()
        .iter()
        .flat_map(|p| &p.roles)
        .chain(program.shared_roles());
    for role in roles {
        add(format!("role {}", role.logical_id), &role.statements);
        for policy in &role.policies {
            let holder = match &policy.logical_id {
                Some(id) => format!("policy {id}"),
                None => format!("role {}", role.logical_id),
            };
            add(holder, &policy.statements);
        }
    }
    for policy in program.managed_policies() {
        add(
            format!("managed policy {}", policy.logical_id),
            &policy.statements,
        );
    }
    places
}

/// The statement's place in the program, found by its lowered JSON.
fn place(origin: &Origin, json: &str, places: &[(String, serde_json::Value, Span)]) -> Origin {
    let lowered = origin
        .span
        .and_then(|s| json.get(s.start..s.end))
        .and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok());
    let span = lowered.and_then(|lowered| {
        places
            .iter()
            .find(|(holder, json, _)| *holder == origin.holder && *json == lowered)
            .map(|(_, _, span)| *span)
    });
    Origin {
        span,
        holder: origin.holder.clone(),
    }
}

/// The model of a template, resources file or `serverless.yml`.
pub fn from_template(path: &Path, sources: &mut Sources) -> Result<Model, Vec<Diagnostic>> {
    let limits = Limits::default();
    let stack = stack_reader::read_stack(path, &limits, sources)
        .map_err(|err| vec![err.to_audit_diagnostic()])?;
    let roots = crate::audit::trees(&stack, &limits, sources);
    let resources: Vec<(&tree::Node, &tree::Node)> = roots
        .iter()
        .flat_map(|(_, root)| crate::audit::resources_of(root))
        .collect();
    Ok(super::read::model(&resources))
}

/// The model of one template given as text, shown as `name` (its includes
/// are not followed).
pub fn from_template_text(
    name: &str,
    text: &str,
    sources: &mut Sources,
) -> Result<Model, Vec<Diagnostic>> {
    let file = sources.add(name, text);
    let json = name.to_ascii_lowercase().ends_with(".json");
    let root = tree::parse(text, file, json, &Limits::default()).map_err(|(why, span)| {
        vec![
            Diagnostic::new(
                Code::E0302,
                format!("`{name}` is not a template idpc can read: {why}"),
                span.unwrap_or(Span::new(file, 0, 0)),
            )
            .with_label("here")
            .with_help("fix the YAML or JSON so CloudFormation would accept it"),
        ]
    })?;
    Ok(super::read::model(&crate::audit::resources_of(&root)))
}

/// The ARN a request names: an ARN as written (`arn:aws:s3:::media/x`,
/// `*`), or the language's `Name/path` form (`Media/public/x`), which is the
/// resource's ARN as `idpc build` writes it, whatever CloudFormation names
/// the resource.
pub fn resource_arn(model: &Model, written: &str) -> Result<super::text::Concrete, String> {
    if written == "*" || written.starts_with("arn:") {
        return Ok(super::text::Concrete::literal(written));
    }
    let (name, path) = match written.split_once('/') {
        Some((name, path)) => (name, Some(path)),
        None => (written, None),
    };
    let Some((_, cfn_type)) = model.resources.iter().find(|(id, _)| id == name) else {
        // A resources file's policies may name a resource of the rest of
        // the stack by its `Arn`: the request is about that value.
        let arn = format!("$({name}.Arn)");
        if mentions(model, &arn) {
            let mut concrete = super::text::Concrete::default();
            concrete.push_opaque(&arn);
            if let Some(path) = path {
                concrete.push_str(&format!("/{path}"));
            }
            return Ok(concrete);
        }
        return Err(format!(
            "`{name}` is not a resource of the stack: give an ARN (`arn:...`) or `Name/path` with a logical ID the stack defines"
        ));
    };
    let Some(kind) = crate::check::kinds::kind_of_cfn_type(cfn_type) else {
        return Err(format!(
            "idpc does not know how to spell the ARN of `{name}` (a `{cfn_type}`): give the ARN"
        ));
    };
    let resource = crate::check::ir::ResourceDef::Of {
        logical_id: name.to_string(),
        kind,
        path: path.map(crate::check::ir::Value::literal),
    };
    let text = pattern(&resource)?;
    let mut arn = super::text::Concrete::default();
    for piece in text.pieces {
        match piece {
            super::text::Piece::Lit(s) => arn.push_str(&s),
            super::text::Piece::Exact(c) => arn.push_str(&c.to_string()),
            super::text::Piece::Opaque(o) => arn.push_opaque(&o),
            super::text::Piece::Var { key, .. } => arn.push_str(&format!("${{{key}}}")),
        }
    }
    Ok(arn)
}

/// A statement's resource as the model reads it from the lowered program
/// (`Media/private/$<sub>/*` is `$(Media.Arn)/private/${...:sub}/*`).
pub fn pattern(resource: &crate::check::ir::ResourceDef) -> Result<super::text::Text, String> {
    let expr = crate::lower::resource(resource, crate::Target::CloudFormation);
    let json = serde_json::to_string(&expr).map_err(|e| e.to_string())?;
    let mut scratch = Sources::new();
    let file = scratch.add("resource.json", &json);
    let node =
        tree::parse(&json, file, true, &Limits::default()).map_err(|(why, _)| why.to_string())?;
    super::read::text(&node, true)
}

/// Whether a statement of the model names the deploy-time value `opaque`.
fn mentions(model: &Model, opaque: &str) -> bool {
    use super::policy::Resources;
    model
        .roles
        .iter()
        .flat_map(|r| &r.policies)
        .flat_map(|p| &p.statements)
        .flat_map(|s| match &s.resources {
            Resources::Only(texts) | Resources::AllBut(texts) => texts.iter(),
        })
        .flat_map(|t| &t.pieces)
        .any(|p| matches!(p, super::text::Piece::Opaque(o) if o == opaque))
}
