//! Byte offsets ↔ LSP positions. The compiler counts bytes; LSP counts lines
//! and UTF-16 code units. This is the only place that converts between them.

use crate::source::{SourceFile, Span};
use lsp_types::{Position, Range};

/// The LSP position of byte `offset` of `file` (clamped to the text, floored to a character).
pub fn position(file: &SourceFile, offset: usize) -> Position {
    let text = file.text.as_str();
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let (line, _) = file.line_col(offset);
    let start = file.line_starts()[line] as usize;
    let character: usize = text[start..offset].chars().map(char::len_utf16).sum();
    Position::new(line as u32, character as u32)
}

/// The LSP range a span covers (the span must belong to `file`).
pub fn range(file: &SourceFile, span: Span) -> Range {
    Range::new(
        position(file, span.start as usize),
        position(file, span.end as usize),
    )
}

/// The range of the whole text, for edits that replace everything.
pub fn full_range(file: &SourceFile) -> Range {
    Range::new(Position::new(0, 0), position(file, file.text.len()))
}

/// The byte offset of an LSP position. A line past the end means the end of
/// the text; a character past the end of its line means the end of the line
/// (as the protocol says); a position inside a surrogate pair means the
/// character's start.
pub fn offset(file: &SourceFile, pos: Position) -> usize {
    let text = file.text.as_str();
    let starts = file.line_starts();
    let Some(start) = starts.get(pos.line as usize).map(|&s| s as usize) else {
        return text.len();
    };
    let line_end = starts
        .get(pos.line as usize + 1)
        .map_or(text.len(), |&next| next as usize - 1);
    let line = text[start..line_end].trim_end_matches('\r');
    let mut units = 0usize;
    for (i, c) in line.char_indices() {
        let next = units + c.len_utf16();
        if next > pos.character as usize {
            return start + i;
        }
        units = next;
    }
    start + line.len()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, SourceDb};

    fn file(text: &str) -> SourceFile {
        let mut db = SourceDb::new();
        let id = db.add("t.drs", None, text.to_string());
        db.get(id).clone()
    }

    #[test]
    fn ascii_round_trips() {
        let f = file("site \"a\" {\n  rpo = 1h\n}\n");
        for off in 0..=f.text.len() {
            assert_eq!(offset(&f, position(&f, off)), off, "offset {off}");
        }
        assert_eq!(position(&f, 13), Position::new(1, 2));
    }

    #[test]
    fn non_ascii_counts_utf16_units() {
        // `é` is 2 bytes and 1 UTF-16 unit; `🦀` is 4 bytes and 2 units.
        let text = "# café 🦀 note\nkey \"k\" { description = \"é🦀x\" }\n";
        let f = file(text);
        let x = text.find('x').unwrap();
        // Line 1: `key "k" { description = "` is 25 units, then é (1) and 🦀 (2).
        assert_eq!(position(&f, x), Position::new(1, 28));
        assert_eq!(offset(&f, Position::new(1, 28)), x);
        let note = text.find("note").unwrap();
        assert_eq!(position(&f, note), Position::new(0, 10));
        assert_eq!(offset(&f, Position::new(0, 10)), note);
        // Every character start round-trips.
        for (off, _) in text.char_indices() {
            assert_eq!(offset(&f, position(&f, off)), off, "offset {off}");
        }
    }

    #[test]
    fn inside_a_character_floors_to_its_start() {
        let text = "a🦀b";
        let f = file(text);
        // Byte 2 is inside the crab: it maps to the crab's start.
        assert_eq!(position(&f, 2), Position::new(0, 1));
        // UTF-16 unit 2 is between the surrogates: it maps to the crab's start.
        assert_eq!(offset(&f, Position::new(0, 2)), 1);
        assert_eq!(offset(&f, Position::new(0, 3)), 5);
    }

    #[test]
    fn out_of_range_positions_clamp() {
        let f = file("ab\r\ncd");
        assert_eq!(offset(&f, Position::new(0, 99)), 2, "stops before CR LF");
        assert_eq!(offset(&f, Position::new(7, 0)), 6, "past the last line");
        assert_eq!(position(&f, 99), Position::new(1, 2));
        assert_eq!(full_range(&f).end, Position::new(1, 2));
        let span = Span::new(FileId(0), 4, 6);
        assert_eq!(
            range(&f, span),
            Range::new(Position::new(1, 0), Position::new(1, 2))
        );
    }
}
