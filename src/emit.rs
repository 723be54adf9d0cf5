//! Step four: the CloudFormation model to text.
//!
//! YAML goes through serde-saphyr, which quotes every scalar a YAML 1.1
//! reader could take for something else: `Version: '2012-10-17'` stays a
//! string for js-yaml (Serverless's reader), where serde_yaml's unquoted
//! `2012-10-17` becomes a date that IAM then rejects. JSON goes through
//! serde_json. Both keep the model's order, so output is byte-identical
//! from run to run.
//!
//! [`write_program`] lowers and writes a checked program one item at a
//! time, straight into a writer: neither the whole model nor the whole
//! text (5 to 6 times the source) is ever in memory. [`emit`] writes a
//! whole model, as text.

use crate::cfn::{DuplicateKey, Template};
use crate::check::Target;
use crate::check::ir::Checked;
use crate::lower;
use serde::Serialize;
use serde::ser::{Error as _, SerializeMap, Serializer};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;
use std::io;

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

/// Why [`write_program`] stopped.
#[derive(Debug)]
pub enum WriteError {
    /// Lowering met a key twice in one map, which the checker should have
    /// refused (an idpc bug; see [`lower::lower`]).
    Duplicate(DuplicateKey),
    /// The serializer refused the model (an idpc bug).
    Emit(EmitError),
    /// The writer failed.
    Io(io::Error),
}

/// Writes a template as text. `header` becomes a leading YAML comment.
pub fn emit(template: &Template, format: Format, header: &str) -> Result<String, EmitError> {
    match format {
        Format::Yaml => {
            let mut yaml = String::new();
            write_header(&mut yaml, header).map_err(|err| EmitError(err.to_string()))?;
            serde_saphyr::to_fmt_writer_with_options(&mut yaml, template, yaml_options())
                .map_err(|err| EmitError(err.to_string()))?;
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

/// Lowers `checked` for `target` and writes it to `out` as [`emit`] would
/// write [`lower::lower`]'s template, byte for byte, but item by item: each
/// pool's resources are lowered, written and dropped before the next.
/// `out` should be buffered. On an error, what was written is incomplete.
pub fn write_program(
    checked: &Checked,
    target: Target,
    format: Format,
    header: &str,
    out: &mut dyn io::Write,
) -> Result<(), WriteError> {
    let program = Streamed {
        checked,
        target,
        duplicate: RefCell::new(None),
    };
    let result = match format {
        Format::Yaml => {
            let mut text = IoText { out, error: None };
            let written = write_header(&mut text, header)
                .map_err(|_| serde_saphyr::ser::Error::custom("the header"))
                .and_then(|()| {
                    serde_saphyr::to_fmt_writer_with_options(&mut text, &program, yaml_options())
                });
            match (written, text.error) {
                (Ok(()), _) => Ok(()),
                (Err(_), Some(err)) => Err(WriteError::Io(err)),
                (Err(err), None) => Err(WriteError::Emit(EmitError(err.to_string()))),
            }
        }
        Format::Json => serde_json::to_writer_pretty(&mut *out, &program)
            .map_err(|err| match err.is_io() {
                true => WriteError::Io(err.into()),
                false => WriteError::Emit(EmitError(err.to_string())),
            })
            .and_then(|()| out.write_all(b"\n").map_err(WriteError::Io)),
    };
    match (result, program.duplicate.into_inner()) {
        (Err(_), Some(duplicate)) => Err(WriteError::Duplicate(duplicate)),
        (result, _) => result,
    }
}

fn yaml_options() -> serde_saphyr::SerializerOptions {
    serde_saphyr::ser_options! { compact_list_indent: false }
}

/// The header as YAML comments. YAML also ends a line at CR, NEL, LS and
/// PS: split at every one, so no part of the header (which holds a file
/// name) can leave its comment and become YAML.
fn write_header(out: &mut impl fmt::Write, header: &str) -> fmt::Result {
    for line in header.split(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        out.write_str("# ")?;
        for c in line.chars() {
            out.write_char(if c.is_control() { ' ' } else { c })?;
        }
        out.write_char('\n')?;
    }
    Ok(())
}

/// A checked program that serializes as its template, lowering as it goes.
struct Streamed<'a> {
    checked: &'a Checked,
    target: Target,
    /// The key lowering met twice, which stopped the serializer.
    duplicate: RefCell<Option<DuplicateKey>>,
}

impl Streamed<'_> {
    /// Stops the serializer over a duplicate key, keeping the key.
    fn stop<E: serde::ser::Error>(&self, duplicate: DuplicateKey) -> E {
        let error = E::custom(format!("`{}` twice in `{}`", duplicate.key, duplicate.map));
        *self.duplicate.borrow_mut() = Some(duplicate);
        error
    }
}

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let outputs = lower::outputs(self.checked, self.target);
        crate::cfn::serialize_template(
            serializer,
            lower::format_version(self.target),
            &Resources(self),
            || outputs.map_err(|duplicate| self.stop(duplicate)),
        )
    }
}

/// The `Resources` of a [`Streamed`] program.
struct Resources<'a, 'b>(&'a Streamed<'b>);

/// What stops lowering while it is being written.
enum Stop<E> {
    Duplicate(DuplicateKey),
    Serializer(E),
}

impl<E> From<DuplicateKey> for Stop<E> {
    fn from(duplicate: DuplicateKey) -> Stop<E> {
        Stop::Duplicate(duplicate)
    }
}

impl Serialize for Resources<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let program = self.0;
        let mut map = serializer.serialize_map(None)?;
        // Logical IDs are checked across items here, by hash: the model's
        // own maps search linearly, which is quadratic for `Resources`.
        let mut seen = HashSet::new();
        let written = lower::for_each_resource(program.checked, program.target, |key, resource| {
            if !seen.insert(key.clone()) {
                return Err(Stop::Duplicate(DuplicateKey {
                    key,
                    map: "Resources",
                }));
            }
            map.serialize_entry(&key, &resource)
                .map_err(Stop::Serializer)
        });
        match written {
            Ok(()) => map.end(),
            Err(Stop::Duplicate(duplicate)) => Err(program.stop(duplicate)),
            Err(Stop::Serializer(err)) => Err(err),
        }
    }
}

/// An [`io::Write`] as the [`fmt::Write`] serde-saphyr writes to, keeping
/// the writer's own error.
struct IoText<'a> {
    out: &'a mut dyn io::Write,
    error: Option<io::Error>,
}

impl fmt::Write for IoText<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.write_all(s.as_bytes()).map_err(|err| {
            self.error = Some(err);
            fmt::Error
        })
    }
}
