//! The `drsc` command line: a thin shell over the library.

mod cli;

/// mimalloc instead of the system allocator: a build allocates and frees
/// hundreds of thousands of small JSON values, where glibc's malloc was a
/// fifth of the process's time (issue 15; notes/build-speed-issue-15.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
