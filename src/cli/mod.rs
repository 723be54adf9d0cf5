//! The command line: `idpc build`, `idpc check`, `idpc explain`, `idpc fmt`,
//! `idpc graph`.
//!
//! Exit codes: 0 success; 1 the program has errors (or warnings with
//! `--deny-warnings`, or files `fmt --check` would change); 2 usage or I/O
//! problems (a file that can't be read or written, bad arguments).

mod build;
mod can;
mod diff;
mod explain;
mod fmt;
mod graph;
mod import;
mod lsp;
mod output;
mod prove;

use clap::{Args, Parser, Subcommand, ValueEnum};
use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use idpc::diag::{self, Diagnostic, ErrorFormat, Sources};
use idpc::lints::SuppressedBy;
use idpc::{Format, Target};
use std::io::IsTerminal;
use std::process::ExitCode;

/// The version line: the crate's version and the date of the AWS data the
/// action catalog was generated from.
fn version() -> &'static str {
    static VERSION: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    VERSION.get_or_init(|| {
        format!(
            "{} (AWS service authorization data of {})",
            env!("CARGO_PKG_VERSION"),
            idpc::catalog::data_date()
        )
    })
}

/// Compiles `.idp` programs into CloudFormation for Cognito identity pools.
#[derive(Debug, Parser)]
#[command(name = "idpc", version = version(), about, long_about = None)]
pub struct Cli {
    /// When to colour diagnostics.
    #[arg(long, value_enum, default_value_t = Color::Auto, global = true)]
    pub color: Color,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value_t = DiagnosticFormat::Human, global = true)]
    pub error_format: DiagnosticFormat,
    /// Treat warnings as errors (exit 1 and write nothing).
    #[arg(long, global = true)]
    pub deny_warnings: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compile a program to CloudFormation (stdout, or -o FILE).
    Build(BuildArgs),
    /// Check a program, or audit a CloudFormation template or `serverless.yml`
    /// (a `.yml`, `.yaml`, `.json` or `.template` file), and print the
    /// diagnostics; write nothing.
    Check(CheckArgs),
    /// Explain a diagnostic code, e.g. `idpc explain E0101`.
    Explain(ExplainArgs),
    /// List the resources the program refers to that the rest of the stack
    /// must define, one `LogicalId Type` per line (e.g. to stub them); its
    /// parameters and conditions as `Name Parameter` / `Name Condition`.
    Uses(CheckArgs),
    /// Draw who can do what: pools, providers, roles and resources, as a
    /// Mermaid or DOT graph (stdout, or -o FILE).
    Graph(GraphArgs),
    /// Rewrite programs in the canonical layout (`-` for stdin to stdout).
    Fmt(FmtArgs),
    /// Turn a CloudFormation template or Serverless resources file back
    /// into a `.idp` program (stdout, or -o FILE).
    Import(ImportArgs),
    /// Answer whether a guest or a signed-in user of a pool may make one
    /// request (a program or a template), with the way to the answer.
    Can(can::CanArgs),
    /// Show what a change grants and to whom: the requests NEW allows and
    /// OLD denies, and the reverse (`idpc diff OLD NEW`, or `idpc diff
    /// --git REV FILE`).
    Diff(diff::DiffArgs),
    /// Prove a program's `expect` properties and the isolation its `$<sub>`
    /// folders imply: proven, refuted (with a counterexample) or unknown.
    Prove(prove::ProveArgs),
    /// Serve the Language Server Protocol on stdin and stdout, for editors:
    /// diagnostics, hover, completion, definition, rename, formatting.
    Lsp,
}

/// `idpc import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The template (YAML with `!Ref`-style tags, or JSON).
    pub template: std::path::PathBuf,
    /// Import only this identity pool (a logical ID); all by default.
    #[arg(long, value_name = "LogicalId")]
    pub pool: Option<String>,
    /// Write the program here (atomically) instead of to stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
}

/// `idpc build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The `.idp` program.
    pub file: std::path::PathBuf,
    /// Write the output here (atomically) instead of to stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,
    /// What the output is for.
    #[arg(long, value_enum, default_value_t = TargetArg::Serverless)]
    pub target: TargetArg,
    /// The output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Yaml)]
    pub format: FormatArg,
}

/// `idpc check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The `.idp` program (for `check`, also a template or `serverless.yml`).
    pub file: std::path::PathBuf,
    /// Check for this target.
    #[arg(long, value_enum, default_value_t = TargetArg::Serverless)]
    pub target: TargetArg,
}

/// `idpc graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// The `.idp` program.
    pub file: std::path::PathBuf,
    /// Write the graph here (atomically) instead of to stdout.
    #[arg(short, long, value_name = "OUT")]
    pub output: Option<std::path::PathBuf>,
    /// The notation.
    #[arg(long, value_enum, default_value_t = GraphFormatArg::Mermaid)]
    pub format: GraphFormatArg,
}

/// `idpc graph --format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum GraphFormatArg {
    /// A Mermaid flowchart (GitHub renders it in Markdown).
    Mermaid,
    /// Graphviz DOT.
    Dot,
}

impl From<GraphFormatArg> for idpc::graph::Notation {
    fn from(format: GraphFormatArg) -> idpc::graph::Notation {
        match format {
            GraphFormatArg::Mermaid => idpc::graph::Notation::Mermaid,
            GraphFormatArg::Dot => idpc::graph::Notation::Dot,
        }
    }
}

/// `idpc fmt`.
#[derive(Debug, Args)]
pub struct FmtArgs {
    /// `.idp` files, directories (searched for `.idp` files) or `-`.
    #[arg(required = true)]
    pub files: Vec<std::path::PathBuf>,
    /// Write nothing; list the files that are not formatted and exit 1 if any.
    #[arg(long)]
    pub check: bool,
}

/// `idpc explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A code such as `E0101`; omit to list every code.
    pub code: Option<String>,
}

/// `--color`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Color {
    /// Colour when stderr is a terminal.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// `--error-format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum DiagnosticFormat {
    /// rustc-like text.
    Human,
    /// One JSON object per line.
    Json,
    /// A SARIF 2.1.0 log, for code-scanning tools.
    Sarif,
}

/// `--target`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TargetArg {
    /// A `resources:` fragment for `${file(...)}` in serverless.yml.
    Serverless,
    /// A whole CloudFormation template.
    Cloudformation,
}

impl From<TargetArg> for Target {
    fn from(target: TargetArg) -> Target {
        match target {
            TargetArg::Serverless => Target::Serverless,
            TargetArg::Cloudformation => Target::CloudFormation,
        }
    }
}

/// `--format`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum FormatArg {
    /// YAML.
    Yaml,
    /// JSON.
    Json,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Format {
        match format {
            FormatArg::Yaml => Format::Yaml,
            FormatArg::Json => Format::Json,
        }
    }
}

/// Success.
pub const EXIT_OK: u8 = 0;
/// The program has errors.
pub const EXIT_PROGRAM: u8 = 1;
/// Usage or I/O problems.
pub const EXIT_IO: u8 = 2;

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match &cli.command {
        Command::Build(args) => build::run(&cli, args),
        Command::Check(args) => build::check(&cli, args),
        Command::Explain(args) => explain::run(args),
        Command::Uses(args) => build::uses(&cli, args),
        Command::Graph(args) => graph::run(&cli, args),
        Command::Fmt(args) => fmt::run(&cli, args),
        Command::Import(args) => import::run(&cli, args),
        Command::Can(args) => can::run(&cli, args),
        Command::Diff(args) => diff::run(&cli, args),
        Command::Prove(args) => prove::run(&cli, args),
        Command::Lsp => lsp::run(),
    };
    ExitCode::from(code)
}

/// Prints diagnostics to stderr in the chosen format and colour.
fn report(cli: &Cli, diagnostics: &[Diagnostic], sources: &Sources) {
    report_with(cli, diagnostics, &[], sources);
}

/// Prints why a file could not be read into the access model and returns
/// the exit status: 2 when it could not be read at all (E0901), else 1
/// (the program has errors).
fn refused_model(cli: &Cli, diagnostics: &[Diagnostic], sources: &Sources) -> u8 {
    report(cli, diagnostics, sources);
    if diagnostics.iter().any(|d| d.code == diag::Code::E0901) {
        EXIT_IO
    } else {
        EXIT_PROGRAM
    }
}

/// Prints a compiled program's diagnostics; SARIF also lists the
/// suppressed ones.
fn report_compiled(cli: &Cli, compiled: &idpc::Compiled, sources: &Sources) {
    report_suppressing(cli, &compiled.diagnostics, &compiled.suppressed, sources);
}

/// Prints diagnostics; SARIF also lists the suppressed ones.
fn report_suppressing(
    cli: &Cli,
    diagnostics: &[Diagnostic],
    suppressed: &[idpc::lints::Suppressed],
    sources: &Sources,
) {
    let suppressed: Vec<_> = suppressed
        .iter()
        .map(|entry| diag::SuppressedResult {
            diagnostic: &entry.diagnostic,
            in_source: matches!(entry.by, SuppressedBy::Comment { .. }),
            justification: match &entry.by {
                SuppressedBy::Comment { reason } => reason,
                SuppressedBy::Level => "",
            },
        })
        .collect();
    report_with(cli, diagnostics, &suppressed, sources);
}

fn report_with(
    cli: &Cli,
    diagnostics: &[Diagnostic],
    suppressed: &[diag::SuppressedResult<'_>],
    sources: &Sources,
) {
    let format = match cli.error_format {
        DiagnosticFormat::Human => ErrorFormat::Human,
        DiagnosticFormat::Json => ErrorFormat::Json,
        DiagnosticFormat::Sarif => ErrorFormat::Sarif,
    };
    // A SARIF consumer expects a log even when there is nothing to say.
    if diagnostics.is_empty() && format != ErrorFormat::Sarif {
        return;
    }
    match format {
        ErrorFormat::Sarif => eprint!("{}", diag::render_sarif(diagnostics, suppressed, sources)),
        ErrorFormat::Json => eprint!("{}", diag::render_json(diagnostics, sources)),
        ErrorFormat::Human => {
            let choice = match cli.color {
                Color::Always => ColorChoice::Always,
                Color::Never => ColorChoice::Never,
                Color::Auto if std::io::stderr().is_terminal() => ColorChoice::Auto,
                Color::Auto => ColorChoice::Never,
            };
            let stream = StandardStream::stderr(choice);
            let mut lock = stream.lock();
            diag::render_human(&mut lock, diagnostics, sources);
        }
    }
}
