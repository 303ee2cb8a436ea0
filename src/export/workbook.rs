//! stancemeter.xlsx (`--xlsx`): one workbook with a sheet per aggregate table and a sheet of the units.
//!
//! Text is stored as string cells, so nothing in it can run as a formula and no guard character is
//! needed; numbers are numeric, dates are dates, the header row is frozen and columns have widths that
//! fit their content. Sheets are written in constant-memory mode (rows stream to temporary files in the
//! output folder), so a million units do not have to fit in memory.

use super::{Cell, CellKind};
use crate::aggregate::Table;
use crate::error::{Result, write_err};
use polars::prelude::AnyValue;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as Book, Worksheet, XlsxError};
use std::path::{Path, PathBuf};

/// Rows a sheet holds, its header included: Excel's limit.
pub const MAX_ROWS: u32 = 1_048_576;
/// Characters a cell holds: Excel's limit.
pub const MAX_CELL_CHARS: usize = 32_767;

/// What the workbook could not hold, for the run's summary.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Rows left out of sheets that reached Excel's row limit (all are in the CSV and Parquet files).
    pub rows_left_out: u64,
    /// Cells cut to Excel's 32,767 characters.
    pub cells_cut: u64,
}

/// The workbook being written.
pub struct Workbook {
    path: PathBuf,
    book: Book,
    unit_kinds: Vec<CellKind>,
    unit_rows: u32,
    limits: Limits,
    header: Format,
    date: Format,
    datetime: Format,
    table_names: Vec<String>,
}

/// The column of units.csv that holds the unit's date.
const UNIT_DATE_COLUMN: usize = 4;

impl Workbook {
    /// Starts the workbook at `path`: an empty sheet for each of `tables` (filled by [`Workbook::finish`]),
    /// then the units sheet with this header.
    pub fn create(
        path: &Path,
        tables: &[&str],
        unit_header: &[String],
        unit_kinds: &[CellKind],
    ) -> Result<Workbook> {
        let fail = fail(path);
        let mut book = Book::new();
        if let Some(dir) = path.parent() {
            book.set_tempdir(dir).map_err(&fail)?;
        }
        let header = Format::new().set_bold();
        for name in tables {
            book.add_worksheet_with_constant_memory()
                .and_then(|ws| ws.set_name(*name).map(|_| ()))
                .map_err(&fail)?;
        }
        let ws = book.add_worksheet_with_constant_memory().map_err(&fail)?;
        ws.set_name("units").map_err(&fail)?;
        let names: Vec<&str> = unit_header.iter().map(String::as_str).collect();
        let kinds: Vec<CellKind> = unit_kinds.to_vec();
        start_sheet(ws, &names, &kinds, &header).map_err(&fail)?;
        Ok(Workbook {
            path: path.to_path_buf(),
            book,
            unit_kinds: kinds,
            unit_rows: 1,
            limits: Limits::default(),
            header,
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            table_names: tables.iter().map(|t| (*t).to_string()).collect(),
        })
    }

    /// Adds one unit's row (see `unit_cells`).
    pub fn unit(&mut self, cells: &[Cell]) -> Result<()> {
        if self.unit_rows >= MAX_ROWS {
            self.limits.rows_left_out += 1;
            return Ok(());
        }
        let row = self.unit_rows;
        self.unit_rows += 1;
        let fail = fail(&self.path);
        let (date, datetime) = (self.date.clone(), self.datetime.clone());
        let mut cut = 0;
        let ws = self.book.worksheet_from_name("units").map_err(&fail)?;
        for (col, cell) in cells.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(t) if col == UNIT_DATE_COLUMN => {
                    write_date(ws, row, c, t, &date, &datetime, &mut cut)
                }
                Cell::Text(t) => write_text(ws, row, c, t, &mut cut),
                Cell::Num(x) if !x.is_nan() => ws.write_number(row, c, *x).map(|_| ()),
                Cell::Int(n) => ws.write_number(row, c, *n as f64).map(|_| ()),
                Cell::Num(_) | Cell::Empty => Ok(()),
            }
            .map_err(&fail)?;
        }
        self.limits.cells_cut += cut;
        debug_assert_eq!(cells.len(), self.unit_kinds.len());
        Ok(())
    }

    /// Fills the table sheets, opens the workbook on the first, and saves it.
    pub fn finish(mut self, tables: &[&Table]) -> Result<Limits> {
        let fail = fail(&self.path);
        let mut cut = 0;
        for t in tables {
            if !self.table_names.iter().any(|n| n == t.name) {
                continue;
            }
            let names: Vec<&str> =
                t.df.get_column_names()
                    .into_iter()
                    .map(polars::prelude::PlSmallStr::as_str)
                    .collect();
            let kinds: Vec<CellKind> =
                t.df.columns()
                    .iter()
                    .map(|c| {
                        if c.dtype().is_primitive_numeric() {
                            CellKind::Num
                        } else {
                            CellKind::Text
                        }
                    })
                    .collect();
            let ws = self.book.worksheet_from_name(t.name).map_err(&fail)?;
            start_sheet(ws, &names, &kinds, &self.header).map_err(&fail)?;
            let height = t.df.height();
            let fit = height.min((MAX_ROWS - 1) as usize);
            self.limits.rows_left_out += (height - fit) as u64;
            let is_date: Vec<bool> = names
                .iter()
                .map(|n| matches!(*n, "period" | "date"))
                .collect();
            // Row by row: constant-memory sheets are written in row order.
            for r in 0..fit {
                for (c, column) in t.df.columns().iter().enumerate() {
                    let (row, col) = (r as u32 + 1, c as u16);
                    let v = column
                        .get(r)
                        .map_err(|e| fail(XlsxError::ParameterError(e.to_string())))?;
                    match v {
                        AnyValue::Null => Ok(()),
                        AnyValue::String(s) if is_date[c] => {
                            write_date(ws, row, col, s, &self.date, &self.datetime, &mut cut)
                        }
                        AnyValue::String(s) => write_text(ws, row, col, s, &mut cut),
                        AnyValue::StringOwned(s) => write_text(ws, row, col, &s, &mut cut),
                        AnyValue::Boolean(b) => ws.write_boolean(row, col, b).map(|_| ()),
                        AnyValue::Float64(x) if x.is_nan() => Ok(()),
                        AnyValue::Float64(x) => ws.write_number(row, col, x).map(|_| ()),
                        AnyValue::Float32(x) => ws.write_number(row, col, f64::from(x)).map(|_| ()),
                        AnyValue::Int64(x) => ws.write_number(row, col, x as f64).map(|_| ()),
                        AnyValue::Int32(x) => ws.write_number(row, col, f64::from(x)).map(|_| ()),
                        AnyValue::UInt64(x) => ws.write_number(row, col, x as f64).map(|_| ()),
                        AnyValue::UInt32(x) => ws.write_number(row, col, f64::from(x)).map(|_| ()),
                        other => write_text(ws, row, col, &other.to_string(), &mut cut),
                    }
                    .map_err(&fail)?;
                }
            }
        }
        self.limits.cells_cut += cut;
        if let Some(first) = self.table_names.first() {
            let ws = self.book.worksheet_from_name(first).map_err(&fail)?;
            ws.set_active(true);
        }
        self.book.save(&self.path).map_err(&fail)?;
        Ok(self.limits)
    }
}

fn fail(path: &Path) -> impl Fn(XlsxError) -> crate::Error + '_ {
    move |e| write_err(path)(std::io::Error::other(e.to_string()))
}

/// The header row in bold, frozen, and column widths from the header and the column's kind.
fn start_sheet(
    ws: &mut Worksheet,
    names: &[&str],
    kinds: &[CellKind],
    header: &Format,
) -> std::result::Result<(), XlsxError> {
    for (c, (name, kind)) in names.iter().zip(kinds).enumerate() {
        let c = c as u16;
        ws.write_string_with_format(0, c, *name, header)?;
        let width = match (*name, kind) {
            ("text" | "sentiment_explanation" | "quoted" | "window" | "example_ids", _) => 60.0,
            (n, _) if n.starts_with("stance_cues") => 40.0,
            ("date" | "period", _) => 18.0,
            (_, CellKind::Num | CellKind::Int) => (name.chars().count() as f64 + 2.0).max(9.0),
            _ => (name.chars().count() as f64 + 2.0).clamp(12.0, 30.0),
        };
        ws.set_column_width(c, width)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A text cell, cut to Excel's limit (counted in `cut`).
fn write_text(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    cut: &mut u64,
) -> std::result::Result<(), XlsxError> {
    if s.chars().count() > MAX_CELL_CHARS {
        *cut += 1;
        let end = s
            .char_indices()
            .nth(MAX_CELL_CHARS - 1)
            .map_or(s.len(), |(i, _)| i);
        ws.write_string(row, col, format!("{}…", &s[..end]))?;
    } else {
        ws.write_string(row, col, s)?;
    }
    Ok(())
}

/// A date cell when the text is an ISO 8601 date or date-time, otherwise the text as it is.
fn write_date(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
    date: &Format,
    datetime: &Format,
    cut: &mut u64,
) -> std::result::Result<(), XlsxError> {
    match ExcelDateTime::parse_from_str(s) {
        Ok(d) if s.len() > 10 => ws
            .write_datetime_with_format(row, col, d, datetime)
            .map(|_| ()),
        Ok(d) => ws.write_datetime_with_format(row, col, d, date).map(|_| ()),
        Err(_) => write_text(ws, row, col, s, cut),
    }
}
