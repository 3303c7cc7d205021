//! The model of a Terraform tree, built once and shared by every rule.

pub mod addr;
pub mod module;
pub mod refs;
pub mod requirements;
pub mod sites;
pub mod source_addr;
pub mod usage;
pub mod values;
pub mod wiring;
pub mod workspace;

pub use module::*;
pub use workspace::{
    load, CallTarget, Cycle, LoadOptions, LoadProblem, Module, ModuleId, ProblemKind, Role,
    Workspace,
};
