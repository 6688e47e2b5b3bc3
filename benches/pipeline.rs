//! Benchmarks of the pipeline phases on the reference site and on a generated
//! large site. Run with `cargo bench`; numbers go in closing notes, never in
//! timed tests.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use drsc::source::{FileId, SourceDb};
use std::hint::black_box;
use std::io::Write;
use std::path::Path;

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
    targets = parse, check, check_generated, build, check_hostile
}
criterion_main!(benches);
