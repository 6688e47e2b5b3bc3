//! Benchmarks of the pipeline phases on the reference site and on a generated
//! large site. Run with `cargo bench`; numbers go in closing notes, never in
//! timed tests.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use drsc::source::{FileId, SourceDb};
use std::hint::black_box;
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

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = parse, check, check_generated, build
}
criterion_main!(benches);
