//! {{name}}: a WebAssembly program in Rust.
//!   wasmrun compile                              builds dist/{{projectName}}.wasm, a WASI command
//!   wasmrun exec dist/{{projectName}}.wasm Ada           runs it
//!   wasmrun compile --target wasm                builds src/lib.rs instead: a module that exports `add`
//!   wasmrun exec --invoke add dist/{{projectName}}.wasm 40 2
use std::process::ExitCode;

fn main() -> ExitCode {
    let who = std::env::args().nth(1).unwrap_or_else(|| "world".to_string());
    println!("{}", {{identifier}}::greeting(&who));
    if who == "error" {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
