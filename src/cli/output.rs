//! Where human output goes and whether it is coloured.

use codespan_reporting::term::termcolor::{ColorChoice, StandardStream};
use std::io::IsTerminal;

/// Colour only on a terminal, never with `NO_COLOR` set.
pub fn color_choice(is_tty: bool) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if is_tty && !no_color {
        ColorChoice::Auto
    } else {
        ColorChoice::Never
    }
}

pub fn stderr() -> StandardStream {
    StandardStream::stderr(color_choice(std::io::stderr().is_terminal()))
}
