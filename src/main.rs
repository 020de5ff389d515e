//! The `saps` binary: color-eyre first, then the command line.

use std::process::ExitCode;

fn main() -> color_eyre::Result<ExitCode> {
    color_eyre::install()?;
    Ok(saps::cli::run())
}
