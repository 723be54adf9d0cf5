//! Helpers shared by integration tests (`mod support;`).
// Each test crate uses a different part of the support code.
#![allow(dead_code)]

pub mod access;
pub mod meaning;
