//! `cargo xtask corpus [DIR]`: a client for every spec in DIR, built, tabulated.

use crate::util::{Failure, Outcome};

pub fn run(_args: &[String]) -> Outcome {
    Err(Failure::Failed("`corpus` is being written".into()))
}
