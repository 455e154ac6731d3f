//! Reading an uploaded file into a table of text cells: CSV (comma, semicolon or tab; UTF-8 with
//! or without BOM, or Windows-1252 as Italian Excel writes it) and spreadsheets (XLSX, XLS, ODS,
//! read with calamine: the first sheet or the one named). Cells are text as the forms take it:
//! Excel dates become ISO days, numbers keep their digits, formulas give the value the file holds
//! (never evaluated). Anything unreadable or over the limits is refused before any row is looked at.

use super::{MAX_BYTES, MAX_CELL, MAX_CELLS, MAX_COLUMNS, MAX_ROWS};
use crate::error::SourceError;
use calamine::{Data, Reader};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// A file as rows of text. `line` is what the user sees: the CSV line, or the spreadsheet row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub rows: Vec<(usize, Vec<String>)>,
    /// The sheets of a spreadsheet (empty for a CSV).
    pub sheets: Vec<String>,
}

/// Reads `bytes`; `sheet` picks a spreadsheet's sheet by name (default: the first).
pub fn read(bytes: &[u8], sheet: Option<&str>) -> Result<Table, SourceError> {
    if bytes.len() > MAX_BYTES {
        return Err(SourceError::TooLarge);
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(SourceError::Empty);
    }
    let is_zip = bytes.starts_with(b"PK\x03\x04");
    let is_ole = bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    let table = if is_zip || is_ole {
        // A reader's bug on a malformed file (calamine 0.38 overflows on some fuzzed sheets)
        // refuses that file; it never takes the process down.
        std::panic::catch_unwind(|| spreadsheet(bytes, sheet)).unwrap_or(Err(SourceError::Unreadable))?
    } else {
        csv_table(bytes)?
    };
    let non_empty = table.rows.iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty())).count();
    match non_empty {
        0 => Err(SourceError::Empty),
        1 => Err(SourceError::OnlyHeaders),
        _ => Ok(table),
    }
}

/// `rows` counts this row, the header among them (a file holds the header and `MAX_ROWS` data
/// rows); `cells` the cells of the rows before it.
fn check_row(row: &[String], rows: usize, cells: &mut usize) -> Result<(), SourceError> {
    *cells += row.len();
    if *cells > MAX_CELLS {
        return Err(SourceError::TooBigToOpen);
    }
    let cells = row;
    if rows > MAX_ROWS + 1 {
        return Err(SourceError::TooManyRows);
    }
    if cells.len() > MAX_COLUMNS {
        return Err(SourceError::TooManyColumns);
    }
    if cells.iter().any(|c| c.len() > MAX_CELL * 4 || c.chars().count() > MAX_CELL) {
        return Err(SourceError::CellTooLong);
    }
    Ok(())
}

// ---------------------------------------------------------------- CSV

/// UTF-8 (its BOM dropped) when the bytes are UTF-8, Windows-1252 otherwise; text with NUL or
/// other control bytes is no CSV (a binary file renamed).
fn decode(bytes: &[u8]) -> Result<String, SourceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned(),
    };
    let control = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')).count();
    if control > 0 {
        return Err(SourceError::Unreadable);
    }
    Ok(text)
}

/// The separator the first line uses most, outside quotes: `;`, `,` or tab.
fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    let mut quoted = false;
    let mut counts = [0usize; 3];
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b';', b',', b'\t'][best]
}

fn csv_table(bytes: &[u8]) -> Result<Table, SourceError> {
    // One line ending, so the reader's line numbers are the ones an editor shows.
    let text = decode(bytes)?.replace("\r\n", "\n").replace('\r', "\n");
    // A single line longer than any sensible row (a 10 MB line) is refused before parsing it.
    if text.lines().any(|l| l.len() > MAX_CELL * MAX_COLUMNS.min(50)) {
        return Err(SourceError::CellTooLong);
    }
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter(&text)).has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut cells_so_far = 0;
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map(|p| p.line() as usize).unwrap_or(rows.len() + 1);
                let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
                check_row(&cells, rows.len() + 1, &mut cells_so_far)?;
                rows.push((line, cells));
            }
            Err(_) => return Err(SourceError::Unreadable),
        }
    }
    Ok(Table { rows, sheets: Vec::new() })
}

// ---------------------------------------------------------------- spreadsheets

/// The most an XLSX or ODS may unpack to, by its zip directory (a 20 MB workbook of 200 000 rows
/// unpacks to some 150 MB of XML), and the most parts it may have.
const MAX_UNPACKED: u64 = 512 * 1024 * 1024;
const MAX_PARTS: usize = 2_000;

/// Refuses a zip that declares more than it may unpack to before any part is inflated. A part
/// that lies about its size is the reader's process limits' to stop (`server::upload`).
fn check_zip(bytes: &[u8]) -> Result<(), SourceError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| SourceError::Unreadable)?;
    if archive.len() > MAX_PARTS {
        return Err(SourceError::TooBigToOpen);
    }
    let mut total = 0u64;
    for i in 0..archive.len() {
        total = total.saturating_add(archive.by_index_raw(i).map_err(|_| SourceError::Unreadable)?.size());
    }
    if total > MAX_UNPACKED { Err(SourceError::TooBigToOpen) } else { Ok(()) }
}

fn spreadsheet(bytes: &[u8], sheet: Option<&str>) -> Result<Table, SourceError> {
    if bytes.starts_with(b"PK\x03\x04") {
        check_zip(bytes)?;
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec())).map_err(|_| SourceError::Unreadable)?;
    let sheets = book.sheet_names().to_vec();
    let name = match sheet.map(str::trim).filter(|s| !s.is_empty()) {
        Some(wanted) => sheets.iter().find(|s| s.as_str() == wanted).cloned().ok_or_else(|| SourceError::NoSuchSheet(wanted.to_string()))?,
        None => sheets.first().cloned().ok_or(SourceError::Empty)?,
    };
    let range = book.worksheet_range(&name).map_err(|_| SourceError::Unreadable)?;
    let (height, width) = range.get_size();
    if height > MAX_ROWS + 1 {
        return Err(SourceError::TooManyRows);
    }
    if width > MAX_COLUMNS {
        return Err(SourceError::TooManyColumns);
    }
    // Row numbers as the spreadsheet shows them: the range may start below row 1.
    let first = range.start().map(|(row, _)| row as usize + 1).unwrap_or(1);
    if height.saturating_mul(width) > MAX_CELLS {
        return Err(SourceError::TooBigToOpen);
    }
    let mut rows = Vec::with_capacity(height);
    let mut cells_so_far = 0;
    for (i, row) in range.rows().enumerate() {
        let cells: Vec<String> = row.iter().map(cell_text).collect();
        check_row(&cells, rows.len() + 1, &mut cells_so_far)?;
        rows.push((first + i, cells));
    }
    Ok(Table { rows, sheets })
}

/// A cell as a form would receive it.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        // Whole numbers without ".0"; others as Rust writes them: the shortest that reads back.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        // A date serial, in either of Excel's epochs: its day (a time of day is dropped).
        Data::DateTime(d) if d.is_datetime() => {
            let (year, month, day, ..) = d.to_ymd_hms_milli();
            chrono::NaiveDate::from_ymd_opt(year.into(), month.into(), day.into()).map(|d| d.to_string()).unwrap_or_default()
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        // "#DIV/0!" and the like: kept as text, so the field that needs a value names it.
        Data::Error(e) => format!("#{e:?}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_one_the_header_uses_outside_quotes() {
        assert_eq!(delimiter("a;b;c\n1,5;2;3"), b';');
        assert_eq!(delimiter("a,b,c"), b',');
        assert_eq!(delimiter("\"x;y\",b,c"), b',');
        assert_eq!(delimiter("a\tb"), b'\t');
    }

    #[test]
    fn windows_1252_and_utf8_with_bom_read_alike() {
        let latin = b"Citt\xe0;Prezzo\nForl\xec;1.234,56\n";
        let utf8 = "\u{feff}Città;Prezzo\nForlì;1.234,56\n".as_bytes();
        let a = read(latin, None).unwrap();
        let b = read(utf8, None).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.rows[1], (2, vec!["Forlì".to_string(), "1.234,56".to_string()]));
    }

    #[test]
    fn a_header_and_the_most_data_rows_are_read_one_more_is_refused() {
        let file = |rows: usize| format!("Nome;Citta\n{}", "Uno Srl;Forli\n".repeat(rows));
        assert_eq!(read(file(MAX_ROWS).as_bytes(), None).map(|t| t.rows.len()), Ok(MAX_ROWS + 1));
        assert_eq!(read(file(MAX_ROWS + 1).as_bytes(), None), Err(SourceError::TooManyRows));
    }

    #[test]
    fn junk_and_empty_files_are_refused() {
        assert_eq!(read(b"", None), Err(SourceError::Empty));
        assert_eq!(read(b"  \n\n", None), Err(SourceError::Empty));
        assert_eq!(read(b"Nome;Citta\n", None), Err(SourceError::OnlyHeaders));
        assert_eq!(read(&[0u8, 159, 146, 150, 1, 2, 3, 0, 0], None), Err(SourceError::Unreadable));
        assert_eq!(read(b"PK\x03\x04truncated", None), Err(SourceError::Unreadable));
        let wide = format!("{}\n1\n", vec!["x"; MAX_COLUMNS + 1].join(";"));
        assert_eq!(read(wide.as_bytes(), None), Err(SourceError::TooManyColumns));
        let long = format!("a;b\n{};1\n", "x".repeat(MAX_CELL * 60));
        assert_eq!(read(long.as_bytes(), None), Err(SourceError::CellTooLong));
        // A million columns: refused on the first line's length, before any parsing.
        let million = format!("{}\n1\n", ";".repeat(1_000_000));
        assert!(matches!(read(million.as_bytes(), None), Err(SourceError::CellTooLong | SourceError::TooManyColumns)));
    }
}
