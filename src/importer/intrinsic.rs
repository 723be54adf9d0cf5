//! Turns a template's string values back into what they were built from:
//! literal text, `Ref`s, `Fn::GetAtt`s and pseudo parameters, whether
//! written in long form (`Fn::Join: ...`), short form (`!Join ...`) or as
//! `Fn::Sub` templates.

use crate::source::Span;
use crate::stack_reader::tree::{Node, Value};
use crate::syntax::ast::Kind;

/// One piece of a string value, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Literal characters (adjacent literals are merged).
    Text(String),
    /// `Ref: Name` of a resource.
    Ref(String),
    /// `Ref: AWS::Region` and the other pseudo parameters.
    Pseudo(String),
    /// `Fn::GetAtt: [Name, Attr]`.
    GetAtt(String, String),
    /// `Fn::ImportValue` of the export whose name these parts make: text,
    /// `Ref`s and pseudo parameters.
    Import(Vec<Part>),
}

/// Why a value cannot be read back: what it is, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct NotInvertible {
    /// What was found, for the message ("`Fn::If`", "a mapping").
    pub(crate) what: String,
    /// The node at fault.
    pub(crate) span: Span,
}

/// A string value's parts. Fails on anything but strings, `Ref`,
/// `Fn::GetAtt`, `Fn::Join` and `Fn::Sub` without a variable map.
pub(crate) fn parts(node: &Node) -> Result<Vec<Part>, NotInvertible> {
    let mut out = Vec::new();
    collect(node, &mut out)?;
    Ok(merge(out))
}

/// The intrinsic function a node is, long or short form, with its argument.
pub(crate) fn function(node: &Node) -> Option<(String, &Node)> {
    if let Some(tag) = local_tag(node) {
        let name = match tag {
            "Ref" => "Ref".to_owned(),
            other => format!("Fn::{other}"),
        };
        return Some((name, node));
    }
    match node.as_map() {
        Some([(key, value)]) => {
            let key = key.as_str()?;
            (key == "Ref" || key.starts_with("Fn::") || key == "Condition")
                .then(|| (key.to_owned(), value))
        }
        _ => None,
    }
}

/// A short-form tag such as `GetAtt` (from `!GetAtt`), if the node has one.
fn local_tag(node: &Node) -> Option<&str> {
    node.tag
        .as_deref()
        .and_then(|t| t.strip_prefix('!'))
        .filter(|t| !t.starts_with('!') && !t.is_empty())
}

fn not_invertible(what: impl Into<String>, node: &Node) -> NotInvertible {
    NotInvertible {
        what: what.into(),
        span: super::span_of(node),
    }
}

fn collect(node: &Node, out: &mut Vec<Part>) -> Result<(), NotInvertible> {
    if let Some((name, arg)) = function(node) {
        return match name.as_str() {
            "Ref" => {
                let target = scalar(arg, "`Ref`")?;
                out.push(reference(target));
                Ok(())
            }
            "Fn::GetAtt" => {
                let (target, attribute) = get_att(arg)?;
                out.push(Part::GetAtt(target, attribute));
                Ok(())
            }
            "Fn::Join" => join(arg, out),
            "Fn::Sub" => sub(arg, out),
            "Fn::ImportValue" => {
                out.push(Part::Import(import_name(node, arg)?));
                Ok(())
            }
            other => Err(not_invertible(format!("`{other}`"), node)),
        };
    }
    match &node.value {
        Value::Scalar(text) => {
            out.push(Part::Text(text.clone()));
            Ok(())
        }
        Value::Null => Err(not_invertible("an empty value", node)),
        Value::Seq(_) => Err(not_invertible("a list", node)),
        Value::Map(_) => Err(not_invertible("a mapping", node)),
    }
}

/// The name `Fn::ImportValue` imports: text, `Ref`s and pseudo parameters.
/// Anything else is refused as "`Fn::ImportValue` ...", naming what it
/// holds (E0754).
fn import_name(node: &Node, arg: &Node) -> Result<Vec<Part>, NotInvertible> {
    let refused = |what: &str| not_invertible(format!("`Fn::ImportValue` of {what}"), node);
    // In the short form (`!ImportValue name`) the argument is the tagged
    // node itself: its value without the tag.
    let untagged;
    let arg = if std::ptr::eq(arg, node) {
        untagged = Node {
            tag: None,
            ..arg.clone()
        };
        &untagged
    } else {
        arg
    };
    let name = parts(arg).map_err(|e| refused(&e.what))?;
    if name.is_empty() {
        return Err(refused("an empty name"));
    }
    for part in &name {
        let why = match part {
            Part::Text(text) if super::text::export_name(text, Span::synthetic()).is_none() => {
                "a name with `)`, a quote, a backslash, white space or a policy variable".to_owned()
            }
            Part::Pseudo(p) if !crate::check::PSEUDO_PARAMETERS.contains(&p.as_str()) => {
                format!("a name holding `{p}`")
            }
            Part::Ref(r) if !super::text::is_name(r) => format!("a name holding `{r}`"),
            Part::GetAtt(..) => "an `Fn::GetAtt`".to_owned(),
            Part::Import(_) => "another `Fn::ImportValue`".to_owned(),
            _ => continue,
        };
        return Err(refused(&why));
    }
    Ok(name)
}

fn reference(target: &str) -> Part {
    if target.starts_with("AWS::") {
        Part::Pseudo(target.to_owned())
    } else {
        Part::Ref(target.to_owned())
    }
}

fn scalar<'a>(node: &'a Node, what: &str) -> Result<&'a str, NotInvertible> {
    node.as_str()
        .ok_or_else(|| not_invertible(format!("{what} of something else than a name"), node))
}

/// `Fn::GetAtt`'s argument: `Name.Attr` or `[Name, Attr]`.
pub(crate) fn get_att(arg: &Node) -> Result<(String, String), NotInvertible> {
    if let Some(text) = arg.as_str()
        && let Some((target, attribute)) = text.split_once('.')
    {
        return Ok((target.to_owned(), attribute.to_owned()));
    }
    if let Value::Seq(items) = &arg.value
        && let [target, attribute] = items.as_slice()
        && let (Some(target), Some(attribute)) = (target.as_str(), attribute.as_str())
    {
        return Ok((target.to_owned(), attribute.to_owned()));
    }
    Err(not_invertible("an `Fn::GetAtt` idpc cannot read", arg))
}

fn join(arg: &Node, out: &mut Vec<Part>) -> Result<(), NotInvertible> {
    let Value::Seq(args) = &arg.value else {
        return Err(not_invertible("an `Fn::Join` idpc cannot read", arg));
    };
    let [separator, items] = args.as_slice() else {
        return Err(not_invertible("an `Fn::Join` idpc cannot read", arg));
    };
    let separator = match &separator.value {
        Value::Scalar(s) => s.clone(),
        Value::Null => String::new(),
        _ => return Err(not_invertible("an `Fn::Join` separator", separator)),
    };
    let Value::Seq(items) = &items.value else {
        return Err(not_invertible("an `Fn::Join` of a computed list", items));
    };
    for (index, item) in items.iter().enumerate() {
        if index > 0 && !separator.is_empty() {
            out.push(Part::Text(separator.clone()));
        }
        collect(item, out)?;
    }
    Ok(())
}

/// `Fn::Sub` of a template string: `${Name}`, `${Name.Attr}`, `${AWS::...}`
/// and `${!literal}`.
fn sub(arg: &Node, out: &mut Vec<Part>) -> Result<(), NotInvertible> {
    let (text, vars): (&str, &[(Node, Node)]) = match &arg.value {
        Value::Scalar(text) => (text, &[]),
        Value::Seq(items) => match items.as_slice() {
            [text, vars] if vars.as_map().is_some() => (
                scalar(text, "`Fn::Sub`")?,
                vars.as_map().unwrap_or_default(),
            ),
            _ => return Err(not_invertible("an `Fn::Sub` idpc cannot read", arg)),
        },
        _ => return Err(not_invertible("an `Fn::Sub` idpc cannot read", arg)),
    };
    let mut rest: &str = text;
    while let Some(start) = rest.find("${") {
        out.push(Part::Text(rest[..start].to_owned()));
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(not_invertible("an unclosed `${` in `Fn::Sub`", arg));
        };
        let inner = &after[..end];
        if let Some((_, value)) = vars.iter().find(|(k, _)| k.as_str() == Some(inner)) {
            // A variable of the map stands for its value.
            collect(value, out)?;
        } else if let Some(literal) = inner.strip_prefix('!') {
            out.push(Part::Text(format!("${{{literal}}}")));
        } else if let Some((target, attribute)) = inner.split_once('.') {
            out.push(Part::GetAtt(target.to_owned(), attribute.to_owned()));
        } else {
            out.push(reference(inner));
        }
        rest = &after[end + 1..];
    }
    out.push(Part::Text(rest.to_owned()));
    Ok(())
}

fn merge(parts: Vec<Part>) -> Vec<Part> {
    let mut out: Vec<Part> = Vec::new();
    for part in parts {
        match (out.last_mut(), part) {
            (_, Part::Text(t)) if t.is_empty() => {}
            (Some(Part::Text(last)), Part::Text(t)) => last.push_str(&t),
            (_, part) => out.push(part),
        }
    }
    out
}

/// A piece of a spelling [`canonical`] rewrites: literal text or a pseudo
/// parameter.
#[derive(Clone, Copy)]
enum Piece {
    Text(&'static str),
    Pseudo(&'static str),
}

const REGION: Piece = Piece::Pseudo("AWS::Region");
const ACCOUNT: Piece = Piece::Pseudo("AWS::AccountId");
const PARTITION: Piece = Piece::Pseudo("AWS::Partition");

/// What a `Ref` of a resource's name stands for after these pieces, as
/// the attribute idpc writes instead: a user pool's provider name
/// (`cognito-idp.<region>.amazonaws.com/<user pool id>`), and the ARN of a
/// bucket, a DynamoDB table or a Lambda function built from its name
/// (their `Ref` is their name).
const SPELLINGS: [(&[Piece], &str, Kind); 8] = [
    (
        &[
            Piece::Text("cognito-idp."),
            REGION,
            Piece::Text(".amazonaws.com/"),
        ],
        "ProviderName",
        Kind::UserPool,
    ),
    (
        &[
            Piece::Text("cognito-idp."),
            REGION,
            Piece::Text("."),
            Piece::Pseudo("AWS::URLSuffix"),
            Piece::Text("/"),
        ],
        "ProviderName",
        Kind::UserPool,
    ),
    (&[Piece::Text("arn:aws:s3:::")], "Arn", Kind::Bucket),
    (
        &[Piece::Text("arn:"), PARTITION, Piece::Text(":s3:::")],
        "Arn",
        Kind::Bucket,
    ),
    (
        &[
            Piece::Text("arn:aws:dynamodb:"),
            REGION,
            Piece::Text(":"),
            ACCOUNT,
            Piece::Text(":table/"),
        ],
        "Arn",
        Kind::Table,
    ),
    (
        &[
            Piece::Text("arn:"),
            PARTITION,
            Piece::Text(":dynamodb:"),
            REGION,
            Piece::Text(":"),
            ACCOUNT,
            Piece::Text(":table/"),
        ],
        "Arn",
        Kind::Table,
    ),
    (
        &[
            Piece::Text("arn:aws:lambda:"),
            REGION,
            Piece::Text(":"),
            ACCOUNT,
            Piece::Text(":function:"),
        ],
        "Arn",
        Kind::Function,
    ),
    (
        &[
            Piece::Text("arn:"),
            PARTITION,
            Piece::Text(":lambda:"),
            REGION,
            Piece::Text(":"),
            ACCOUNT,
            Piece::Text(":function:"),
        ],
        "Arn",
        Kind::Function,
    ),
];

/// `parts` with spellings equivalent to one idpc writes rewritten to that
/// one (see [`SPELLINGS`]): `cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}`
/// is `Fn::GetAtt: [UserPool, ProviderName]`, and
/// `arn:${AWS::Partition}:s3:::${Bucket}` is `Fn::GetAtt: [Bucket, Arn]`.
/// The importer accepts an ARN so written only for a resource of the kind
/// it names.
pub(crate) fn canonical(parts: &[Part]) -> Vec<Part> {
    rewritten(parts).0
}

/// [`canonical`]'s parts, with each name it rewrote and the kind that
/// name must be for the rewrite to keep the meaning.
pub(crate) fn rewritten(parts: &[Part]) -> (Vec<Part>, Vec<(String, Kind)>) {
    let mut out: Vec<Part> = Vec::new();
    let mut names = Vec::new();
    for (index, part) in parts.iter().enumerate() {
        // A name goes whole into the ARN: a `Ref` that more text continues
        // (`${Stage}-bucket`) is part of a longer name, not one.
        let whole = match parts.get(index + 1) {
            Some(Part::Text(next)) => next.starts_with(['/', ':']),
            _ => true,
        };
        if let Part::Ref(name) = part
            && whole
        {
            let found = SPELLINGS.iter().find_map(|(pieces, attribute, kind)| {
                let before = without_tail(&out, pieces)?;
                Some((before, *attribute, *kind))
            });
            if let Some((before, attribute, kind)) = found {
                out = before;
                out.push(Part::GetAtt(name.clone(), attribute.to_owned()));
                names.push((name.clone(), kind));
                continue;
            }
        }
        out.push(part.clone());
    }
    (merge(out), names)
}

/// `parts` without `pieces` at their end, if they end so (the first piece
/// may end a longer text).
fn without_tail(parts: &[Part], pieces: &[Piece]) -> Option<Vec<Part>> {
    let mut out = parts.to_vec();
    for (index, piece) in pieces.iter().enumerate().rev() {
        match (piece, out.pop()?) {
            (Piece::Pseudo(p), Part::Pseudo(q)) if *p == q => {}
            (Piece::Text(t), Part::Text(u)) if u == *t => {}
            (Piece::Text(t), Part::Text(u)) if index == 0 && u.ends_with(t) => {
                out.push(Part::Text(u[..u.len() - t.len()].to_owned()));
            }
            _ => return None,
        }
    }
    Some(out)
}

/// Reads parts from the front: literal text (across parts), pseudo
/// parameters and references.
#[derive(Clone)]
pub(crate) struct Cursor<'a> {
    parts: &'a [Part],
    /// Byte offset into the current text part.
    offset: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(parts: &'a [Part]) -> Cursor<'a> {
        Cursor { parts, offset: 0 }
    }

    /// Consumes `text` if the parts continue with it.
    pub(crate) fn text(&mut self, text: &str) -> bool {
        match self.parts.first() {
            Some(Part::Text(t)) if t[self.offset..].starts_with(text) => {
                self.offset += text.len();
                if self.offset == t.len() {
                    self.parts = &self.parts[1..];
                    self.offset = 0;
                }
                true
            }
            _ => text.is_empty(),
        }
    }

    /// Consumes the pseudo parameter `name`, or else `literal` when given
    /// (a hard-coded `aws` for `AWS::Partition`).
    pub(crate) fn pseudo(&mut self, name: &str, literal: Option<&str>) -> bool {
        if self.offset == 0
            && let Some(Part::Pseudo(p)) = self.parts.first()
            && p == name
        {
            self.parts = &self.parts[1..];
            return true;
        }
        literal.is_some_and(|l| self.text(l))
    }

    /// Consumes text up to the next `:` (a service name), not the colon.
    pub(crate) fn word(&mut self) -> Option<String> {
        let Some(Part::Text(t)) = self.parts.first() else {
            return None;
        };
        let rest = &t[self.offset..];
        let end = rest.find(':')?;
        let word = rest[..end].to_owned();
        self.offset += end;
        Some(word)
    }

    /// Consumes a `Ref` of a resource.
    pub(crate) fn reference(&mut self) -> Option<String> {
        if self.offset == 0
            && let Some(Part::Ref(name)) = self.parts.first()
        {
            self.parts = &self.parts[1..];
            return Some(name.clone());
        }
        None
    }

    /// Consumes an `Fn::GetAtt` with attribute `attribute`.
    pub(crate) fn get_att(&mut self, attribute: &str) -> Option<String> {
        if self.offset == 0
            && let Some(Part::GetAtt(name, attr)) = self.parts.first()
            && attr == attribute
        {
            self.parts = &self.parts[1..];
            return Some(name.clone());
        }
        None
    }

    /// What is left, as parts.
    pub(crate) fn rest(&self) -> Vec<Part> {
        let mut out = Vec::new();
        for (index, part) in self.parts.iter().enumerate() {
            match part {
                Part::Text(t) if index == 0 => {
                    if self.offset < t.len() {
                        out.push(Part::Text(t[self.offset..].to_owned()));
                    }
                }
                other => out.push(other.clone()),
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn parse(yaml: &str) -> Node {
        crate::stack_reader::tree::parse(yaml, 0, false, &crate::stack_reader::Limits::default())
            .unwrap()
    }

    #[test]
    fn short_and_long_forms_read_the_same() {
        let long = parse("Fn::Join: ['', [{Fn::GetAtt: [B, Arn]}, '/private/', '$', '{x}']]");
        let short = parse("!Join ['', [!GetAtt B.Arn, '/private/', '$', '{x}']]");
        let sub = parse("!Sub '${B.Arn}/private/${!x}'");
        let with_vars = parse("Fn::Sub: ['${Arn}/private/${!x}', {Arn: !GetAtt B.Arn}]");
        assert_eq!(parts(&with_vars).unwrap(), parts(&sub).unwrap());
        let expected = vec![
            Part::GetAtt("B".into(), "Arn".into()),
            Part::Text("/private/${x}".into()),
        ];
        assert_eq!(parts(&long).unwrap(), expected);
        assert_eq!(parts(&short).unwrap(), expected);
        assert_eq!(parts(&sub).unwrap(), expected);
    }

    #[test]
    fn other_functions_are_refused_where_they_are() {
        let text = "!Join ['', ['a', !FindInMap [M, k, v]]]";
        let err = parts(&parse(text)).unwrap_err();
        assert_eq!(err.what, "`Fn::FindInMap`");
        // The tree spans the tagged value; diagnostics widen it to the tag
        // and the closing bracket.
        assert!(text[err.span.range()].starts_with("[M, k, v"));
    }

    #[test]
    fn imports_read_with_their_names() {
        let import = |name: Vec<Part>| vec![Part::Text("a".into()), Part::Import(name)];
        let literal = import(vec![Part::Text("b".into())]);
        assert_eq!(
            parts(&parse("!Join ['', ['a', !ImportValue b]]")).unwrap(),
            literal
        );
        assert_eq!(
            parts(&parse("!Join ['', ['a', {Fn::ImportValue: b}]]")).unwrap(),
            literal
        );
        assert_eq!(
            parts(&parse("Fn::Sub: ['a${X}', {X: {Fn::ImportValue: b}}]")).unwrap(),
            literal
        );
        let built = import(vec![Part::Ref("Stage".into()), Part::Text("-b".into())]);
        for yaml in [
            "!Join ['', ['a', {Fn::ImportValue: !Sub '${Stage}-b'}]]",
            "!Join ['', ['a', {Fn::ImportValue: !Join ['-', [!Ref Stage, b]]}]]",
        ] {
            assert_eq!(parts(&parse(yaml)).unwrap(), built, "{yaml}");
        }
        for (yaml, why) in [
            (
                "{Fn::ImportValue: !Sub 'notes-${sls:stage}'}",
                "a name holding `sls:stage`",
            ),
            (
                "{Fn::ImportValue: 'shared bucket'}",
                "a name with `)`, a quote, a backslash, white space or a policy variable",
            ),
            ("{Fn::ImportValue: ''}", "an empty name"),
        ] {
            let err = parts(&parse(yaml)).unwrap_err();
            assert_eq!(err.what, format!("`Fn::ImportValue` of {why}"), "{yaml}");
        }
        let text = "!Join ['', ['a', {Fn::ImportValue: !GetAtt B.Arn}]]";
        let err = parts(&parse(text)).unwrap_err();
        assert_eq!(err.what, "`Fn::ImportValue` of an `Fn::GetAtt`");
        assert!(text[err.span.range()].starts_with("{Fn::ImportValue: !GetAtt B.Arn"));
    }
}

#[cfg(test)]
mod spellings {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn canonical_of(yaml: &str) -> Vec<Part> {
        let node = crate::stack_reader::tree::parse(
            yaml,
            0,
            false,
            &crate::stack_reader::Limits::default(),
        )
        .unwrap();
        canonical(&parts(&node).unwrap())
    }

    #[test]
    fn names_built_into_arns_read_as_the_attribute_idpc_writes() {
        let provider = vec![Part::GetAtt("UserPool".into(), "ProviderName".into())];
        for yaml in [
            "!Sub 'cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}'",
            "!Sub 'cognito-idp.${AWS::Region}.${AWS::URLSuffix}/${UserPool}'",
            "!Join ['', ['cognito-idp.', !Ref 'AWS::Region', '.amazonaws.com/', !Ref UserPool]]",
        ] {
            assert_eq!(canonical_of(yaml), provider, "{yaml}");
        }
        let bucket = vec![
            Part::GetAtt("Bucket".into(), "Arn".into()),
            Part::Text("/*".into()),
        ];
        for yaml in [
            "!Sub 'arn:${AWS::Partition}:s3:::${Bucket}/*'",
            "!Sub 'arn:aws:s3:::${Bucket}/*'",
            "!Join ['', ['arn:aws:s3:::', !Ref Bucket, '/*']]",
        ] {
            assert_eq!(canonical_of(yaml), bucket, "{yaml}");
        }
        let table = vec![Part::GetAtt("Notes".into(), "Arn".into())];
        assert_eq!(
            canonical_of(
                "!Sub 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${Notes}'"
            ),
            table
        );
        let (_, names) = rewritten(
            &parts(
                &crate::stack_reader::tree::parse(
                    "!Sub 'arn:aws:s3:::${B}'",
                    0,
                    false,
                    &crate::stack_reader::Limits::default(),
                )
                .unwrap(),
            )
            .unwrap(),
        );
        assert_eq!(names, [("B".to_owned(), Kind::Bucket)]);
        // Another service's ARN of a name stays as written.
        let queue = "!Sub 'arn:aws:sqs:${AWS::Region}:${AWS::AccountId}:${Queue}'";
        assert!(matches!(canonical_of(queue).last(), Some(Part::Ref(_))));
    }
}
