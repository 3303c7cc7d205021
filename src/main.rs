#![forbid(unsafe_code)]

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = tfpin::cli::Cli::parse();
    ExitCode::from(tfpin::app::run(cli))
}
