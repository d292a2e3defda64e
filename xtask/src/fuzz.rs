//! `cargo xtask fuzz [--seconds N]`: the load + lower fuzz target.

use crate::util::{Failure, Outcome};

pub fn run(_args: &[String]) -> Outcome {
    Err(Failure::Failed("`fuzz` is being written".into()))
}
