// A Rust WASI command (Debian rustc 1.63, std for wasm32-wasi): sums the numbers in every *.txt file of a preopened
// directory, on stdin and in its arguments, writes the total to DIR/summary.out, and exits 4 when over a limit.
// usage: tally DIR [NUMBER...]   env: TALLY_LABEL (default "total"), TALLY_LIMIT (optional)
use std::env;
use std::fs;
use std::io::{self, BufRead};
use std::process;

fn numbers(text: &str) -> i64 {
    text.lines().filter_map(|line| line.trim().parse::<i64>().ok()).sum()
}

fn main() {
    let args: Vec<String> = env::args().collect();
    println!("argv: {}", args.join(" | "));
    if args.len() < 2 {
        eprintln!("usage: tally DIR [NUMBER...]");
        process::exit(2);
    }
    let dir = &args[1];
    let mut names: Vec<String> = match fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| name.ends_with(".txt"))
            .collect(),
        Err(error) => {
            eprintln!("cannot list {}: {}", dir, error);
            process::exit(3);
        }
    };
    names.sort();
    let mut total: i64 = 0;
    for name in &names {
        let path = format!("{}/{}", dir, name);
        let text = fs::read_to_string(&path).unwrap_or_else(|error| {
            eprintln!("cannot read {}: {}", path, error);
            process::exit(3);
        });
        let sum = numbers(&text);
        println!("{}: {}", name, sum);
        total += sum;
    }
    let stdin: i64 = io::stdin()
        .lock()
        .lines()
        .filter_map(|line| line.ok()?.trim().parse::<i64>().ok())
        .sum();
    println!("stdin: {}", stdin);
    let arguments: i64 = args[2..].iter().filter_map(|arg| arg.parse::<i64>().ok()).sum();
    println!("args: {}", arguments);
    total += stdin + arguments;
    let label = env::var("TALLY_LABEL").unwrap_or_else(|_| "total".to_string());
    println!("{} = {}", label, total);
    let summary = format!("{}/summary.out", dir);
    fs::write(&summary, format!("{} {}\n", label, total)).unwrap_or_else(|error| {
        eprintln!("cannot write {}: {}", summary, error);
        process::exit(3);
    });
    println!("summary.out: {} bytes", fs::metadata(&summary).map(|m| m.len()).unwrap_or(0));
    if let Ok(limit) = env::var("TALLY_LIMIT") {
        if total > limit.parse::<i64>().unwrap_or(i64::MAX) {
            eprintln!("over the limit: {} > {}", total, limit);
            process::exit(4);
        }
    }
}
