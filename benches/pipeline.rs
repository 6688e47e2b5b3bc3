//! Benchmarks of the pipeline phases on the reference site and on a generated
//! large site. Run with `cargo bench`; numbers go in closing notes, never in
//! timed tests.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use drsc::source::{FileId, SourceDb};
use std::hint::black_box;
use std::io::Write;
use std::path::Path;

/// The binary's allocator (`src/main.rs`), so in-process figures match `drsc`'s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const REFERENCE: &str = include_str!("../specs/transactions.drs");

/// A site of roughly `blocks * 12` lines: many tables, buckets and functions.
fn generated_site(blocks: usize) -> String {
    let mut s = String::from(
        "site \"big\" {\n  environment = staging\n  suffix = \"big\"\n  primary = us-east-1\n  secondary = us-west-2\n  rpo = 1h\n  rto = 4h\n}\n\nkey \"data\" {\n  rotation = true\n}\n",
    );
    for i in 0..blocks {
        s.push_str(&format!(
            "\n## Store {i}.\ntable \"t{i}\" {{\n  partition_key = \"pk\"\n  key           = data # inline comment\n  pitr          = true\n}}\n\nfunction \"f{i}\" {{\n  runtime = \"python3.12\"\n  handler = \"app.handler\"\n  inline  = \"def handler(e, c):\\n    return {i}\"\n  writes  = [t{i}]\n}}\n"
        ));
    }
    s
}

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    g.throughput(Throughput::Bytes(REFERENCE.len() as u64));
    g.bench_function("reference_site", |b| {
        b.iter(|| drsc::syntax::parse(FileId(0), black_box(REFERENCE)))
    });
    for blocks in [800, 8_000] {
        let text = generated_site(blocks);
        let lines = text.lines().count();
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_with_input(BenchmarkId::new("generated_lines", lines), &text, |b, t| {
            b.iter(|| drsc::syntax::parse(FileId(0), black_box(t)))
        });
    }
    g.finish();
}

fn check(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
    c.bench_function("check/reference_site", |b| {
        b.iter(|| {
            let mut db = SourceDb::new();
            drsc::driver::check_path(&mut db, black_box(&path))
        })
    });
}

fn build(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
    let mut db = SourceDb::new();
    let outcome = drsc::driver::check_path(&mut db, &path);
    let model = outcome.model.expect("the reference site builds a model");
    c.bench_function("lower/reference_site", |b| {
        b.iter(|| drsc::lower::lower(black_box(&model)))
    });
    let graph = drsc::lower::lower(&model)
        .ok()
        .expect("the reference site lowers");
    let source = "transactions.drs".to_string();
    c.bench_function("emit/cfn/reference_site", |b| {
        let options = drsc::emit::cfn::Options {
            source: source.clone(),
        };
        b.iter(|| drsc::emit::cfn::emit(black_box(&graph), &options))
    });
    c.bench_function("emit/tf/reference_site", |b| {
        let options = drsc::emit::tf::Options {
            source: source.clone(),
        };
        b.iter(|| drsc::emit::tf::emit(black_box(&graph), &options))
    });
}

/// The whole `drsc build` of the reference site: check, emit and the atomic
/// write, in process (`build_whole/*`), and the binary as a process
/// (`process/*`, what hyperfine measures: start-up, stdlib parse and exit
/// included). `fresh` writes into a new directory, `unchanged` rebuilds over
/// the same output (the edit-build loop), `changed` over an older output.
fn build_whole(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/transactions.drs");
    let dir = tempfile::tempdir().expect("tempdir");
    let mut g = c.benchmark_group("build_whole");
    for (target, name) in [
        (drsc::driver::Target::Cfn, "cfn"),
        (drsc::driver::Target::Tf, "tf"),
    ] {
        let build = |out: &Path| {
            let mut db = SourceDb::new();
            let o = drsc::driver::build(&mut db, &path, target, Default::default());
            let drsc::driver::BuildStatus::Emitted(files) = o.status else {
                panic!("the reference site builds");
            };
            drsc::emit::write::write_atomic(out, &files).expect("write");
        };
        let mut n = 0u64;
        g.bench_function(format!("{name}/fresh"), |b| {
            b.iter(|| {
                n += 1;
                build(&dir.path().join(format!("fresh-{name}-{n}")))
            })
        });
        let same = dir.path().join(format!("same-{name}"));
        build(&same);
        g.bench_function(format!("{name}/unchanged"), |b| b.iter(|| build(&same)));
    }
    g.finish();

    let exe = env!("CARGO_BIN_EXE_drsc");
    let mut g = c.benchmark_group("process");
    let run = |args: &[&str]| {
        let o = std::process::Command::new(exe)
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run drsc");
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    };
    let out = dir.path().join("process-out");
    let out = out.to_string_lossy().into_owned();
    g.bench_function("check", |b| {
        b.iter(|| run(&["check", "specs/transactions.drs"]))
    });
    for target in ["cfn", "tf"] {
        g.bench_function(format!("build_{target}"), |b| {
            b.iter(|| {
                run(&[
                    "build",
                    "specs/transactions.drs",
                    "--target",
                    target,
                    "-o",
                    &out,
                ])
            })
        });
    }
    g.finish();
}

/// Checking grows linearly with the number of declarations.
fn check_generated(c: &mut Criterion) {
    let mut g = c.benchmark_group("check_generated");
    for blocks in [200, 2_000] {
        let dir = std::env::temp_dir().join(format!("drsc-bench-{blocks}"));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("site.drs");
        let _ = std::fs::write(&path, generated_site(blocks));
        g.bench_with_input(
            BenchmarkId::new("declarations", blocks * 2),
            &path,
            |b, p| {
                b.iter(|| {
                    let mut db = SourceDb::new();
                    drsc::driver::check_path(&mut db, black_box(p))
                })
            },
        );
    }
    g.finish();
}

/// A hostile file: `lines` unknown blocks, one error each (400,000 lines is 11 MB).
fn hostile_site(lines: usize) -> String {
    "block \"b\" { key = \"value\" }\n".repeat(lines)
}

/// Checking a file with very many errors and reporting them as `drsc check` does:
/// the first 50 rendered for the terminal, or every one as JSON.
fn check_hostile(c: &mut Criterion) {
    let mut g = c.benchmark_group("check_hostile");
    g.sample_size(10);
    for lines in [40_000, 400_000] {
        let text = hostile_site(lines);
        g.throughput(Throughput::Bytes(text.len() as u64));
        let check = |t: &str| {
            let mut db = SourceDb::new();
            let id = db.add("hostile.drs", None, t.to_string());
            let outcome = drsc::driver::check_file(&mut db, id, Path::new("."));
            (db, outcome)
        };
        g.bench_with_input(BenchmarkId::new("human", lines), &text, |b, t| {
            b.iter(|| {
                let (db, outcome) = check(black_box(t));
                let mut out = codespan_reporting::term::termcolor::NoColor::new(Vec::new());
                let hidden = drsc::diagnostic::human::render_limited(
                    &db,
                    &outcome.diagnostics,
                    50,
                    &mut out,
                );
                (
                    out.into_inner().len(),
                    hidden.map(|h| h.len()).unwrap_or_default(),
                )
            })
        });
        g.bench_with_input(BenchmarkId::new("json", lines), &text, |b, t| {
            b.iter(|| {
                let (db, outcome) = check(black_box(t));
                let mut out = Vec::new();
                for d in &outcome.diagnostics {
                    let _ = writeln!(out, "{}", drsc::diagnostic::json::to_json(&db, d));
                }
                out.len()
            })
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse, check, check_generated, build, build_whole, check_hostile
}
criterion_main!(benches);
