//! Step four: the CloudFormation model to text.
//!
//! YAML goes through serde-saphyr, which quotes every scalar a YAML 1.1
//! reader could take for something else: `Version: '2012-10-17'` stays a
//! string for js-yaml (Serverless's reader), where serde_yaml's unquoted
//! `2012-10-17` becomes a date that IAM then rejects. JSON goes through
//! serde_json. Both keep the model's order, so output is byte-identical
//! from run to run.

use crate::cfn::Template;

/// The output format.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// YAML (the default).
    #[default]
    Yaml,
    /// JSON.
    Json,
}

/// Why a template could not be written out. Only a bug can cause this;
/// it is reported, never a panic.
#[derive(Debug)]
pub struct EmitError(pub String);

/// Writes a template as text. `header` becomes a leading YAML comment.
pub fn emit(template: &Template, format: Format, header: &str) -> Result<String, EmitError> {
    match format {
        Format::Yaml => {
            let options = serde_saphyr::ser_options! { compact_list_indent: false };
            let mut yaml = String::new();
            // YAML also ends a line at CR, NEL, LS and PS: split at every
            // one, so no part of the header (which holds a file name) can
            // leave its comment and become YAML.
            for line in header.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
                yaml.push_str("# ");
                yaml.extend(line.chars().map(|c| if c.is_control() { ' ' } else { c }));
                yaml.push('\n');
            }
            let body = serde_saphyr::to_string_with_options(template, options)
                .map_err(|err| EmitError(err.to_string()))?;
            yaml.push_str(&body);
            Ok(yaml)
        }
        Format::Json => {
            let mut json =
                serde_json::to_string_pretty(template).map_err(|err| EmitError(err.to_string()))?;
            json.push('\n');
            Ok(json)
        }
    }
}
