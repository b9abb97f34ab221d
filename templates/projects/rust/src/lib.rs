//! The library half of {{name}}: what the command prints, and `add`, exported from the module that
//! `wasmrun compile --target wasm` builds.

/// Adds two numbers; `#[no_mangle]` keeps its name as the module's export.
#[no_mangle]
pub extern "C" fn add(a: i32, b: i32) -> i32 {
    a + b
}

/// The greeting the command prints.
pub fn greeting(who: &str) -> String {
    format!("Hello, {who}, from {{name}}! 2 + 3 = {}", add(2, 3))
}
