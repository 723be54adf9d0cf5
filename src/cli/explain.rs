//! `idpc explain CODE`: the long explanation of a diagnostic code.

use super::{EXIT_IO, EXIT_OK, ExplainArgs};
use idpc::diag::Code;

pub(super) fn run(args: &ExplainArgs) -> u8 {
    match &args.code {
        None => {
            for code in Code::ALL {
                println!("{code}  {}", code.title());
            }
            EXIT_OK
        }
        Some(text) => match Code::parse(text) {
            Some(code) => {
                print!("{}", code.explanation());
                EXIT_OK
            }
            None => {
                eprintln!(
                    "error: `{text}` is not a diagnostic code; `idpc explain` lists them all"
                );
                EXIT_IO
            }
        },
    }
}
