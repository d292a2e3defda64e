//! `cargo xtask bench`: figures against baselines measured in the same run.

use crate::util::{Failure, Outcome};

pub fn run(_args: &[String]) -> Outcome {
    Err(Failure::Failed("`bench` is being written".into()))
}
