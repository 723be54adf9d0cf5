//! idpc: compiles `.idp` programs into CloudFormation for Cognito identity pools.
pub mod catalog;
