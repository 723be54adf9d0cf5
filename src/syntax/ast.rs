//! The typed, spanned syntax tree of an `.idp` program.
//!
//! Every node carries the span (file and bytes) of the source text it came
//! from, so any later stage can point at it; nodes the parser fills in
//! itself have [`Span::synthetic`] spans. Equality ignores spans (see [`Spanned`]), which
//! lets tests compare trees built from differently laid-out sources.

use std::fmt;

pub use crate::source::Span;
pub use crate::vocabulary::{AccessLevel, ConditionOp, MatchOp, Quantifier};

/// A node and where it was written. The span is ignored by `==`.
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The node itself.
    pub node: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Pairs a node with its span.
    pub fn new(node: T, span: Span) -> Spanned<T> {
        Spanned { node, span }
    }
}

impl<T: PartialEq> PartialEq for Spanned<T> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<T: Eq> Eq for Spanned<T> {}

/// A logical ID as written: `[A-Za-z][A-Za-z0-9]*`, at most 255 characters.
pub type Name = Spanned<String>;

/// A whole program: its items in source order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// The top-level items, in source order.
    pub items: Vec<Item>,
}

/// A top-level form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// `use KIND Name, ...`
    Use(UseKind),
    /// `use "path"`
    UseFile(UseFile),
    /// `identity_pool Name { ... }`
    IdentityPool(IdentityPool),
    /// `role Name { ... }`
    Role(RoleDecl),
    /// `output Name = Target[.Attr]`
    Output(Output),
    /// `use parameter Name, ...`: CloudFormation parameters of the stack.
    UseParameter(Vec<Name>),
    /// `use condition Name, ...`: CloudFormation conditions of the stack.
    UseCondition(Vec<Name>),
    /// `managed_policy Name { ... }`
    ManagedPolicy(ManagedPolicyDecl),
    /// `expect ...`: a property of the program that idpc proves.
    Expect(Expect),
}

/// `expect ...`: a property the author claims of the program, which idpc
/// proves before deploy (it lowers to nothing). Like [`Spanned`], equality
/// ignores where it was written.
#[derive(Clone, Debug)]
pub struct Expect {
    /// Which property, with its parts.
    pub form: ExpectForm,
    /// The whole item, from `expect` to its last token.
    pub span: Span,
    /// From `expect` to the word that says which form it is: `expect
    /// isolated`, `expect guests of Pool cannot`, `expect Role only via`.
    pub head: Span,
}

impl PartialEq for Expect {
    fn eq(&self, other: &Self) -> bool {
        self.form == other.form
    }
}

impl Eq for Expect {}

/// The three forms of `expect`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExpectForm {
    /// `expect isolated R, ...`: no identity reaches what a resource names
    /// with another identity's id as `$<sub>`.
    Isolated {
        /// The resources, at least one, as a statement writes them.
        resources: Vec<Spanned<Resource>>,
    },
    /// `expect WHO [of Pool] cannot ACTIONS on RESOURCES`.
    Cannot {
        /// Who is meant.
        who: Spanned<Who>,
        /// `of Pool`: through that identity pool only.
        pool: Option<Name>,
        /// The actions, at least one, as a statement writes them.
        actions: Vec<Spanned<ActionItem>>,
        /// The resources, at least one, as a statement writes them.
        resources: Vec<Spanned<Resource>>,
    },
    /// `expect Role only via CLAIM OP "value" [or ...]`.
    OnlyVia {
        /// The role.
        role: Name,
        /// The claim tests joined by `or`, at least one.
        alternatives: Vec<Spanned<ClaimTest>>,
    },
}

/// Who an `expect ... cannot` is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Who {
    /// `guests`: unauthenticated identities.
    Guests,
    /// `signed_in`: authenticated identities.
    SignedIn,
    /// `anyone`: guests and signed-in users.
    Anyone,
    /// A role's name: any caller holding that role.
    Role(Name),
}

impl Who {
    /// The keyword, or the role's name.
    pub fn written(&self) -> &str {
        match self {
            Who::Guests => "guests",
            Who::SignedIn => "signed_in",
            Who::Anyone => "anyone",
            Who::Role(name) => &name.node,
        }
    }
}

/// `cognito:groups contains "admins"`: a test on a claim of the caller's
/// token, as a mapping rule makes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClaimTest {
    /// The claim's name; a bare claim (`custom:team`) is the same text as
    /// the quoted one (`"custom:team"`).
    pub claim: Text,
    /// How it is compared.
    pub op: Spanned<MatchOp>,
    /// The value compared with.
    pub value: Text,
}

/// `managed_policy Name { ... }`: an `AWS::IAM::ManagedPolicy` of the
/// program.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManagedPolicyDecl {
    /// The policy's logical ID.
    pub name: Name,
    /// `if Cond`: the policy exists only when the condition holds.
    pub condition: Option<Name>,
    /// Its body.
    pub body: Spanned<Vec<Spanned<ManagedPolicyItem>>>,
}

/// One line of a managed policy's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ManagedPolicyItem {
    /// `name "..."`: `ManagedPolicyName`.
    Name(Text),
    /// `description "..."`: `Description`.
    Description(Text),
    /// `allow ...` / `deny ...`
    Statement(Statement),
}

/// `policy "Name" [as LogicalId] { ... }` inside a role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyBlock {
    /// The policy's name (`PolicyName`).
    pub name: Text,
    /// With `as`: the logical ID of a separate `AWS::IAM::Policy`.
    pub logical_id: Option<Name>,
    /// Its statements, in source order.
    pub statements: Vec<Spanned<Statement>>,
}

/// `use KIND Name, Name2`: resources defined elsewhere in the stack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseKind {
    /// The kind all the names have.
    pub kind: Spanned<Kind>,
    /// The logical IDs, at least one.
    pub names: Vec<Name>,
}

/// `use "serverless.yml"`: a stack file whose resources the program may name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UseFile {
    /// The path as written, relative to the program's directory.
    pub path: Text,
}

/// The kinds of resources a program can name. The checker knows each kind's
/// CloudFormation type and ARN; the syntax only knows the keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// `AWS::Cognito::UserPool`
    UserPool,
    /// `AWS::Cognito::UserPoolClient`
    UserPoolClient,
    /// `AWS::S3::Bucket`
    Bucket,
    /// `AWS::DynamoDB::Table`
    Table,
    /// `AWS::ApiGateway::RestApi`
    RestApi,
    /// `AWS::ApiGatewayV2::Api`
    HttpApi,
    /// `AWS::Lambda::Function`
    Function,
    /// `AWS::SNS::Topic`
    Topic,
    /// `AWS::SQS::Queue`
    Queue,
    /// `AWS::Kinesis::Stream`
    Stream,
    /// `AWS::AppSync::GraphQLApi`
    GraphqlApi,
    /// `AWS::StepFunctions::StateMachine`
    StateMachine,
    /// `AWS::SecretsManager::Secret`
    Secret,
    /// `AWS::KMS::Key`
    Key,
    /// `AWS::Logs::LogGroup`
    LogGroup,
    /// `AWS::Events::EventBus`
    EventBus,
    /// `AWS::IAM::ManagedPolicy`
    ManagedPolicy,
    /// `AWS::Location::Map`
    Map,
    /// `AWS::Location::PlaceIndex`
    PlaceIndex,
    /// `AWS::IAM::Role`
    Role,
    /// `AWS::Cognito::IdentityPool`
    IdentityPool,
    /// `AWS::IAM::OIDCProvider`
    OidcProvider,
    /// `AWS::IAM::SAMLProvider`
    SamlProvider,
}

impl Kind {
    /// Every kind, in the order the language reference lists them.
    pub const ALL: [Kind; 23] = [
        Kind::UserPool,
        Kind::UserPoolClient,
        Kind::Bucket,
        Kind::Table,
        Kind::RestApi,
        Kind::HttpApi,
        Kind::Function,
        Kind::Topic,
        Kind::Queue,
        Kind::Stream,
        Kind::GraphqlApi,
        Kind::StateMachine,
        Kind::Secret,
        Kind::Key,
        Kind::LogGroup,
        Kind::EventBus,
        Kind::ManagedPolicy,
        Kind::Map,
        Kind::PlaceIndex,
        Kind::Role,
        Kind::IdentityPool,
        Kind::OidcProvider,
        Kind::SamlProvider,
    ];

    /// The keyword that names this kind in `use KIND`.
    pub fn keyword(self) -> &'static str {
        match self {
            Kind::UserPool => "user_pool",
            Kind::UserPoolClient => "user_pool_client",
            Kind::Bucket => "bucket",
            Kind::Table => "table",
            Kind::RestApi => "rest_api",
            Kind::HttpApi => "http_api",
            Kind::Function => "function",
            Kind::Topic => "topic",
            Kind::Queue => "queue",
            Kind::Stream => "stream",
            Kind::GraphqlApi => "graphql_api",
            Kind::StateMachine => "state_machine",
            Kind::Secret => "secret",
            Kind::Key => "key",
            Kind::LogGroup => "log_group",
            Kind::EventBus => "event_bus",
            Kind::ManagedPolicy => "managed_policy",
            Kind::Map => "map",
            Kind::PlaceIndex => "place_index",
            Kind::Role => "role",
            Kind::IdentityPool => "identity_pool",
            Kind::OidcProvider => "oidc_provider",
            Kind::SamlProvider => "saml_provider",
        }
    }

    /// The kind a keyword names.
    pub fn from_keyword(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.keyword() == word)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.keyword())
    }
}

/// `identity_pool Name { ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityPool {
    /// The pool's logical ID.
    pub name: Name,
    /// The lines of its body, in source order.
    pub body: Vec<Spanned<PoolItem>>,
    /// `if Cond`: the CloudFormation condition the pool exists under.
    pub condition: Option<Name>,
}

/// One line of a pool's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PoolItem {
    /// `name "..."`
    PoolName(Text),
    /// `classic_flow`
    ClassicFlow,
    /// `tag "key" = "value"`
    Tag {
        /// The tag's key.
        key: Text,
        /// The tag's value.
        value: Text,
    },
    /// `provider user_pool U client C [server_side_token_check]`
    UserPoolProvider(UserPoolProvider),
    /// `provider user_pool "NAME" client "ID" [server_side_token_check]`:
    /// a user pool provider the stack gives as text.
    UserPoolText(UserPoolText),
    /// `provider google "id"` and the other public login providers.
    LoginProvider {
        /// Which provider.
        provider: Spanned<LoginProvider>,
        /// Its app id (for Twitter, `key;secret`).
        id: Text,
    },
    /// `provider oidc ...` / `provider saml ...`.
    FederationProvider {
        /// OIDC or SAML.
        protocol: Spanned<Federation>,
        /// The provider's ARN, as a string or a resource's name.
        provider: ProviderArn,
    },
    /// `provider developer "login.example.app"`
    DeveloperProvider(Text),
    /// `authenticated role [Name] { ... }` / `unauthenticated role ...`
    Role(PoolRole),
    /// `map U by ...`
    RoleMapping(RoleMapping),
    /// `principal_tags U ...`
    PrincipalTags(PrincipalTags),
    /// `attachment Name [depends_on A, B]`: the role attachment's logical
    /// ID and `DependsOn`.
    Attachment {
        /// Its logical ID.
        name: Name,
        /// `depends_on A, B` after it: the attachment's `DependsOn`.
        depends_on: Vec<Name>,
    },
    /// `deletion_policy retain|delete|retain_except_on_create`
    DeletionPolicy(Spanned<RetentionPolicy>),
    /// `update_replace_policy retain|delete|retain_except_on_create`
    UpdateReplacePolicy(Spanned<RetentionPolicy>),
    /// `depends_on A, B`: the pool's `DependsOn`.
    DependsOn(Vec<Name>),
    /// `metadata "{...}"`: the pool's `Metadata`, a JSON object as written.
    Metadata(Text),
    /// `guests Param` / `guests if Cond`.
    Guests(Guests),
}

/// Where `AllowUnauthenticatedIdentities` comes from when the roles do not
/// decide it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Guests {
    /// `guests true` / `guests false`: that value, whatever the roles.
    Fixed(bool),
    /// `guests Param`: `Ref Param`.
    Parameter(Name),
    /// `guests if Cond`: `Fn::If [Cond, true, false]`.
    Condition(Name),
}

/// A value of `deletion_policy` and `update_replace_policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RetentionPolicy {
    /// `retain`
    Retain,
    /// `delete`
    Delete,
    /// `retain_except_on_create`
    RetainExceptOnCreate,
}

impl RetentionPolicy {
    /// Every value, in the order the language reference lists them.
    pub const ALL: [RetentionPolicy; 3] = [
        RetentionPolicy::Retain,
        RetentionPolicy::Delete,
        RetentionPolicy::RetainExceptOnCreate,
    ];

    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            RetentionPolicy::Retain => "retain",
            RetentionPolicy::Delete => "delete",
            RetentionPolicy::RetainExceptOnCreate => "retain_except_on_create",
        }
    }

    /// CloudFormation's spelling: `Retain`, `Delete`, `RetainExceptOnCreate`.
    pub fn to_cfn(self) -> &'static str {
        match self {
            RetentionPolicy::Retain => "Retain",
            RetentionPolicy::Delete => "Delete",
            RetentionPolicy::RetainExceptOnCreate => "RetainExceptOnCreate",
        }
    }

    /// The value a keyword or CloudFormation's spelling names.
    pub fn from_word(word: &str) -> Option<RetentionPolicy> {
        RetentionPolicy::ALL
            .into_iter()
            .find(|p| p.keyword() == word || p.to_cfn() == word)
    }
}

/// The public login providers of `SupportedLoginProviders`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LoginProvider {
    /// `accounts.google.com`
    Google,
    /// `graph.facebook.com`
    Facebook,
    /// `www.amazon.com`
    Amazon,
    /// `appleid.apple.com`
    Apple,
    /// `api.twitter.com`
    Twitter,
}

impl LoginProvider {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            LoginProvider::Google => "google",
            LoginProvider::Facebook => "facebook",
            LoginProvider::Amazon => "amazon",
            LoginProvider::Apple => "apple",
            LoginProvider::Twitter => "twitter",
        }
    }

    /// The provider's domain: its key in `SupportedLoginProviders` and its
    /// name in role mappings.
    pub fn domain(self) -> &'static str {
        match self {
            LoginProvider::Google => "accounts.google.com",
            LoginProvider::Facebook => "graph.facebook.com",
            LoginProvider::Amazon => "www.amazon.com",
            LoginProvider::Apple => "appleid.apple.com",
            LoginProvider::Twitter => "api.twitter.com",
        }
    }
}

/// OpenID Connect or SAML.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Federation {
    /// `oidc`
    Oidc,
    /// `saml`
    Saml,
}

impl Federation {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Federation::Oidc => "oidc",
            Federation::Saml => "saml",
        }
    }
}

/// How an OIDC or SAML provider is named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderArn {
    /// A string ARN.
    Arn(Text),
    /// A `use oidc_provider Name` / `use saml_provider Name`.
    Named(Name),
}

/// A provider as `map` and `principal_tags` name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProviderRef {
    /// A user pool given to `provider user_pool`.
    UserPool(Name),
    /// A public login provider.
    Login(LoginProvider),
    /// The pool's OIDC or SAML providers.
    Federation(Federation),
}

/// `map U by token ...` / `map U by rules { ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleMapping {
    /// The provider whose users are mapped.
    pub provider: Spanned<ProviderRef>,
    /// Token or rules.
    pub by: MappingKind,
    /// `otherwise authenticated|deny`, if written.
    pub otherwise: Option<Spanned<Otherwise>>,
}

/// How a mapping picks roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MappingKind {
    /// From the token's `cognito:roles` / `cognito:preferred_role` claims.
    Token,
    /// From rules on claims, first match wins.
    Rules {
        /// The rules, in order.
        rules: Vec<Spanned<MappingRule>>,
        /// The `rules { ... }` block, where a missing `otherwise` goes.
        block: Span,
    },
}

/// `"claim" OP "value" => Role`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappingRule {
    /// The claim.
    pub claim: Text,
    /// How it is compared.
    pub op: Spanned<MatchOp>,
    /// The value compared with.
    pub value: Text,
    /// The role handed out on a match.
    pub role: Name,
}

/// What happens when no rule matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Otherwise {
    /// Fall back to the pool's authenticated role.
    Authenticated,
    /// Refuse credentials.
    Deny,
}

/// `principal_tags U { "tag" = "claim" ... }` / `principal_tags U default`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrincipalTags {
    /// The provider whose claims become tags.
    pub provider: Spanned<ProviderRef>,
    /// `as Name`: the resource's logical ID, when written.
    pub name: Option<Name>,
    /// The tag → claim pairs; none with `default`.
    pub tags: Vec<Spanned<(Text, Text)>>,
    /// Where `default` was written, if it was.
    pub default: Option<Span>,
}

/// `role Name { ... }` at the top level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleDecl {
    /// The role's logical ID.
    pub name: Name,
    /// Its body.
    pub body: Spanned<Vec<Spanned<RoleItem>>>,
    /// `if Cond`: the CloudFormation condition the role exists under.
    pub condition: Option<Name>,
}

/// `provider user_pool U client C [server_side_token_check]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPoolProvider {
    /// The user pool.
    pub user_pool: Name,
    /// The app client of that user pool.
    pub client: Name,
    /// Where `server_side_token_check` was written, if it was.
    pub server_side_token_check: Option<Span>,
}

/// `provider user_pool "NAME" client "ID" [server_side_token_check]`: a
/// user pool and app client of another stack, by their provider name
/// (`cognito-idp.<region>.amazonaws.com/<user pool id>`) and client id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserPoolText {
    /// `ProviderName`.
    pub provider_name: Text,
    /// `ClientId`.
    pub client_id: Text,
    /// Where `server_side_token_check` was written, if it was.
    pub server_side_token_check: Option<Span>,
}

/// Who a role is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RoleUsage {
    /// Signed-in users.
    Authenticated,
    /// Guests.
    Unauthenticated,
}

impl RoleUsage {
    /// The keyword, which is also the `Roles` key and the `amr` value.
    pub fn keyword(self) -> &'static str {
        match self {
            RoleUsage::Authenticated => "authenticated",
            RoleUsage::Unauthenticated => "unauthenticated",
        }
    }
}

/// `authenticated role [Name] { ... }`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PoolRole {
    /// `authenticated` or `unauthenticated`.
    pub usage: Spanned<RoleUsage>,
    /// The role's logical ID, when given.
    pub name: Option<Name>,
    /// The role's body; none when the line attaches a top-level `role`.
    pub body: Option<Spanned<Vec<Spanned<RoleItem>>>>,
    /// `if Cond`: the pool attaches the role only when the condition holds.
    pub condition: Option<Name>,
    /// `authenticated role "arn:..."`: a role the stack gives by its ARN
    /// (then `name` and `body` are none).
    pub arn: Option<Text>,
}

/// One line of a role's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RoleItem {
    /// `policy "Name"`
    PolicyName(Text),
    /// `managed_policy "arn:..."`
    ManagedPolicy(Text),
    /// `managed_policy Name`: a managed policy of the program or stack.
    AttachedPolicy(Name),
    /// `policy "Name" [as LogicalId] { ... }`
    Policy(PolicyBlock),
    /// `boundary "arn:..."`
    Boundary(Text),
    /// `allow ...` / `deny ...`
    Statement(Statement),
    /// `role_name "..."`: `RoleName`.
    RoleName(Text),
    /// `description "..."`: `Description`.
    Description(Text),
    /// `max_session_duration N`: `MaxSessionDuration`, in seconds, as
    /// written (digits only; a number too large for `u64` saturates).
    MaxSessionDuration(Spanned<u64>),
    /// `path "/..."`: `Path`.
    Path(Text),
    /// `tag "key" = "value"`: an entry of `Tags`.
    Tag {
        /// The tag's key.
        key: Text,
        /// The tag's value.
        value: Text,
    },
    /// `depends_on A, B`: the role's `DependsOn`.
    DependsOn(Vec<Name>),
}

/// `Allow` or `Deny`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Effect {
    /// `allow`
    Allow,
    /// `deny`
    Deny,
}

/// `allow ACTIONS on RESOURCES`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// `allow` or `deny`.
    pub effect: Spanned<Effect>,
    /// The actions, at least one.
    pub actions: Vec<Spanned<ActionItem>>,
    /// The resources, at least one.
    pub resources: Vec<Spanned<Resource>>,
    /// The `when` conditions, all of which must hold.
    pub conditions: Vec<Spanned<Condition>>,
    /// `if Cond`: the statement exists only when the CloudFormation
    /// condition holds.
    pub if_condition: Option<Name>,
}

/// An entry of a statement's action list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ActionItem {
    /// `service:Action`, possibly with wildcards.
    Pattern(ActionPattern),
    /// An access level, expanded by the checker.
    Level(AccessLevel),
    /// `*`: every action of every service.
    Any,
}

/// `[any|all] KEY OP VALUE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    /// `any` / `all`, if written.
    pub quantifier: Option<Spanned<Quantifier>>,
    /// The condition key as written.
    pub key: Spanned<String>,
    /// The operator.
    pub op: Spanned<ConditionOp>,
    /// The values (none for `exists`, `is true`, ...).
    pub values: Vec<Text>,
}

/// `service:Action`, possibly with `*` and `?` wildcards in the action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionPattern {
    /// The service prefix, such as `s3`.
    pub service: String,
    /// The action name or pattern, such as `GetObject` or `Get*`.
    pub action: String,
}

impl fmt::Display for ActionPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.service, self.action)
    }
}

/// What a statement applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resource {
    /// `*`
    Any,
    /// `Name` or `Name/path`.
    Named {
        /// The resource's logical ID.
        name: Name,
        /// What follows the `/`, if anything.
        path: Option<Text>,
    },
    /// A string ARN.
    Arn(Text),
}

/// Text made of literal characters and variables: a string's contents or a
/// resource path. Each part keeps its own span. Like [`Spanned`], equality
/// ignores where the text was written.
#[derive(Clone, Debug)]
pub struct Text {
    /// The parts in order; adjacent literals are merged.
    pub parts: Vec<Spanned<TextPart>>,
    /// The whole text as written (for a string: including its quotes).
    pub span: Span,
}

impl PartialEq for Text {
    fn eq(&self, other: &Self) -> bool {
        self.parts == other.parts
    }
}

impl Eq for Text {}

/// No text, written nowhere: what a conversion fills in where the grammar
/// guarantees a string.
impl Default for Text {
    fn default() -> Text {
        Text {
            parts: Vec::new(),
            span: Span::synthetic(),
        }
    }
}

impl Text {
    /// The Serverless variables in this text.
    pub fn serverless_vars(&self) -> impl Iterator<Item = &Spanned<TextPart>> {
        self.parts
            .iter()
            .filter(|part| matches!(part.node, TextPart::ServerlessVar(_)))
    }

    /// The text with variables shown as written.
    pub fn as_written(&self) -> String {
        let mut out = String::new();
        for part in &self.parts {
            match &part.node {
                TextPart::Literal(text) | TextPart::ServerlessVar(text) => out.push_str(text),
                TextPart::PolicyVar(key) => {
                    out.push_str("$<");
                    out.push_str(key);
                    out.push('>');
                }
                TextPart::Reference(reference) => out.push_str(&reference.to_string()),
                TextPart::ImportValue(name) => {
                    out.push_str(IMPORT_OPEN);
                    out.push_str(&name.as_written());
                    out.push(')');
                }
            }
        }
        out
    }
}

/// What opens `$(import NAME)`.
pub const IMPORT_OPEN: &str = "$(import ";

/// A piece of [`Text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextPart {
    /// Characters taken literally (escapes already resolved).
    Literal(String),
    /// `$<key>`: an IAM policy variable, holding the key as written.
    PolicyVar(String),
    /// `${...}`: a Serverless variable, holding all of it (`${self:custom.stage}`).
    ServerlessVar(String),
    /// `$(Name)` / `$(Name.Attr)`: a CloudFormation reference.
    Reference(Reference),
    /// `$(import NAME)`: `Fn::ImportValue` of the export named NAME, a text
    /// of literal characters, references and Serverless variables.
    ImportValue(Text),
}

/// `$(Name)` (`Ref`) or `$(Name.Attr)` (`Fn::GetAtt`) inside a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reference {
    /// A parameter, pseudo parameter (`AWS::Region`) or logical ID.
    pub target: String,
    /// The attribute, for `Fn::GetAtt`; none for `Ref`.
    pub attribute: Option<String>,
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.attribute {
            Some(attribute) => write!(f, "$({}.{attribute})", self.target),
            None => write!(f, "$({})", self.target),
        }
    }
}

/// `output Name = Target` or `output Name = Target.Attr`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The output's name.
    pub name: Name,
    /// The resource it refers to.
    pub target: Name,
    /// The attribute, for `Fn::GetAtt`; none for `Ref`.
    pub attribute: Option<Spanned<String>>,
    /// The `{ ... }` block of settings, when written.
    pub body: Option<Spanned<Vec<Spanned<OutputItem>>>>,
    /// `if Cond`: the output exists only when the condition holds.
    pub condition: Option<Name>,
}

/// A line of an output's block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutputItem {
    /// `description "..."`: the output's `Description`.
    Description(Text),
    /// `export "..."`: the output's `Export: {Name: ...}`.
    Export(Text),
}
