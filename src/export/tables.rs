//! The aggregate tables as CSV and Parquet, and units.parquet written batch by batch.

use super::{Cell, CellKind, Dialect, Field, stat, stat_field, text};
use crate::aggregate::Table;
use crate::error::{Result, write_err};
use polars::prelude::{
    AnyValue, Column, CompatLevel, DataFrame, Float64Chunked, IntoColumn, NewChunkedArray,
    PolarsError, SchemaExt, StringChunked, UInt64Chunked,
};
use polars_parquet::write::{
    CompressionOptions, Encoding, FileWriter, StatisticsOptions, Version, WriteOptions,
    get_dtype_encoding, row_group_iter, to_parquet_schema,
};
use std::borrow::Cow;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Formats one polars value as a CSV cell (text with the formula guard).
pub fn cell<'a>(v: &AnyValue<'a>) -> Cow<'a, str> {
    match v {
        // Borrowed from the frame: a table of a million rows copies no text.
        AnyValue::String(s) => text(s),
        AnyValue::StringOwned(s) => Cow::Owned(text(s).into_owned()),
        other => plain(other),
    }
}

/// Formats one polars value for reading (the report): numbers as in the CSV, text exactly as it is.
pub fn plain(v: &AnyValue) -> Cow<'static, str> {
    match v {
        AnyValue::Null => Cow::Borrowed(""),
        AnyValue::String(s) => Cow::Owned((*s).to_string()),
        AnyValue::StringOwned(s) => Cow::Owned(s.to_string()),
        AnyValue::Float64(x) => stat(*x),
        AnyValue::Float32(x) => stat(f64::from(*x)),
        AnyValue::Boolean(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        // The tables' counts and positions, without polars' value formatting (the same digits).
        AnyValue::UInt32(n) => super::int(*n),
        AnyValue::UInt64(n) => super::int(*n),
        AnyValue::Int32(n) => super::int(*n),
        AnyValue::Int64(n) => super::int(*n),
        other => Cow::Owned(other.to_string()),
    }
}

/// A Parquet file written one row group at a time: Snappy-compressed pages with statistics, format
/// version 1, as polars' own writer would with `compression="snappy"`.
pub struct ParquetFile {
    path: PathBuf,
    what: String,
    writer: FileWriter<BufWriter<File>>,
    fields: Vec<polars_parquet::write::ParquetType>,
    encodings: Vec<Vec<Encoding>>,
    options: WriteOptions,
}

impl ParquetFile {
    /// Creates `path` for frames with the columns and types of `like`; `what` names the data in errors.
    pub fn create(path: &Path, what: &str, like: &DataFrame) -> Result<ParquetFile> {
        let fail = |source| crate::Error::Aggregate {
            table: what.to_string(),
            source,
        };
        let file = File::create(path).map_err(write_err(path))?;
        let schema = like.schema().to_arrow(CompatLevel::newest());
        let parquet_schema = to_parquet_schema(&schema).map_err(fail)?;
        let options = WriteOptions {
            statistics: StatisticsOptions::default(),
            compression: CompressionOptions::Snappy,
            version: Version::V1,
            data_page_size: None,
        };
        let encodings = schema
            .iter_values()
            .map(|f| get_dtype_encoding(&f.dtype))
            .collect();
        let fields = parquet_schema.fields().to_vec();
        Ok(ParquetFile {
            path: path.to_path_buf(),
            what: what.to_string(),
            writer: FileWriter::new_with_parquet_schema(
                BufWriter::new(file),
                schema,
                parquet_schema,
                options,
            ),
            fields,
            encodings,
            options,
        })
    }

    fn fail(&self) -> impl Fn(PolarsError) -> crate::Error + '_ {
        |source| crate::Error::Aggregate {
            table: self.what.clone(),
            source,
        }
    }

    /// Appends the rows of `df` (same columns as the frame the file was created for).
    pub fn write(&mut self, df: &mut DataFrame) -> Result<()> {
        df.rechunk_mut();
        for batch in df.iter_chunks(CompatLevel::newest(), false) {
            let rows = batch.len() as u64;
            let group = row_group_iter(
                batch,
                self.encodings.clone().into(),
                self.fields.clone(),
                self.options,
            );
            let fail = |source| crate::Error::Aggregate {
                table: self.what.clone(),
                source,
            };
            self.writer.write(rows, group).map_err(fail)?;
        }
        Ok(())
    }

    /// Writes the footer and flushes the file to disk.
    pub fn finish(mut self) -> Result<()> {
        self.writer.end(None).map_err(self.fail())?;
        let path = self.path;
        self.writer
            .into_inner()
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .and_then(|f| f.sync_all())
            .map_err(write_err(&path))
    }
}

/// Writes an aggregate table as Parquet, with the same columns and rows as its CSV.
pub fn parquet(path: &Path, t: &Table) -> Result<()> {
    let mut f = ParquetFile::create(path, t.name, &t.df)?;
    f.write(&mut t.df.clone())?;
    f.finish()
}

/// Writes an aggregate table. Each column is read in order (not a value looked up per row and column),
/// and the rows are formatted into bytes with their numbers written in place ([`super::Rows`], the bytes
/// [`super::CsvFile`] writes): the replies table of a large corpus has a row per reply.
pub fn table(path: &Path, t: &Table, dialect: Dialect) -> Result<()> {
    let names: Vec<&str> =
        t.df.get_column_names()
            .into_iter()
            .map(polars::prelude::PlSmallStr::as_str)
            .collect();
    let mut w = BufWriter::new(File::create(path).map_err(write_err(path))?);
    let mut rows = super::Rows::start(dialect, &names)?;
    if t.df.height() > 0 {
        let mut columns: Vec<_> =
            t.df.columns()
                .iter()
                .map(|c| c.as_materialized_series().iter())
                .collect();
        for _ in 0..t.df.height() {
            rows.row(
                columns
                    .iter_mut()
                    .map(|c| c.next().map_or(Field::from(""), field)),
            )?;
            if rows.bytes().len() >= 1 << 16 {
                w.write_all(rows.bytes()).map_err(write_err(path))?;
                rows.clear();
            }
        }
    }
    w.write_all(rows.bytes()).map_err(write_err(path))?;
    w.flush().map_err(write_err(path))
}

/// [`cell`] as a field of [`super::Rows`].
fn field(v: AnyValue<'_>) -> Field<'_> {
    match v {
        AnyValue::String(s) => Field::Text(text(s)),
        AnyValue::Null => Field::from(""),
        AnyValue::Float64(x) => stat_field(x),
        AnyValue::Float32(x) => stat_field(f64::from(x)),
        AnyValue::UInt32(n) => Field::Int(u64::from(n)),
        AnyValue::UInt64(n) => Field::Int(n),
        AnyValue::Int32(n) if n >= 0 => Field::Int(n.unsigned_abs().into()),
        AnyValue::Int64(n) if n >= 0 => Field::Int(n.unsigned_abs()),
        other => Field::Text(cell(&other).into_owned().into()),
    }
}

/// Rows per row group of units.parquet: large enough for good compression, small enough to bound memory.
const GROUP_ROWS: usize = 65_536;

/// One column of units.parquet being filled.
enum Buffer {
    Text(Vec<Option<String>>),
    Num(Vec<Option<f64>>),
    Int(Vec<Option<u64>>),
}

/// units.parquet: the columns of units.csv with their types and the exact text (no formula guard),
/// written a row group at a time as the units stream past.
pub struct UnitsParquet {
    file: ParquetFile,
    names: Vec<String>,
    columns: Vec<Buffer>,
    rows: usize,
}

impl UnitsParquet {
    /// Creates `path` for units with these column names and kinds (see `unit_header`, `unit_kinds`).
    pub fn create(path: &Path, names: &[String], kinds: &[CellKind]) -> Result<UnitsParquet> {
        let columns: Vec<Buffer> = kinds
            .iter()
            .map(|k| match k {
                CellKind::Text => Buffer::Text(Vec::new()),
                CellKind::Num => Buffer::Num(Vec::new()),
                CellKind::Int => Buffer::Int(Vec::new()),
            })
            .collect();
        let empty = frame(names, &columns).map_err(|source| crate::Error::Aggregate {
            table: "units".into(),
            source,
        })?;
        let file = ParquetFile::create(path, "units", &empty)?;
        Ok(UnitsParquet {
            file,
            names: names.to_vec(),
            columns,
            rows: 0,
        })
    }

    /// Adds one unit's row.
    pub fn push(&mut self, cells: &[Cell]) -> Result<()> {
        for (col, c) in self.columns.iter_mut().zip(cells) {
            match (col, c) {
                (Buffer::Text(v), Cell::Text(t)) => v.push(Some(t.to_string())),
                (Buffer::Num(v), Cell::Num(x)) => v.push((!x.is_nan()).then_some(*x)),
                (Buffer::Int(v), Cell::Int(n)) => v.push(Some(*n)),
                (Buffer::Text(v), _) => v.push(None),
                (Buffer::Num(v), _) => v.push(None),
                (Buffer::Int(v), _) => v.push(None),
            }
        }
        self.rows += 1;
        if self.rows >= GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut df =
            frame(&self.names, &self.columns).map_err(|source| crate::Error::Aggregate {
                table: "units".into(),
                source,
            })?;
        self.file.write(&mut df)?;
        for c in &mut self.columns {
            match c {
                Buffer::Text(v) => v.clear(),
                Buffer::Num(v) => v.clear(),
                Buffer::Int(v) => v.clear(),
            }
        }
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the footer.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.file.finish()
    }
}

/// A frame of the buffered columns.
fn frame(names: &[String], columns: &[Buffer]) -> std::result::Result<DataFrame, PolarsError> {
    let height = columns.first().map_or(0, |c| match c {
        Buffer::Text(v) => v.len(),
        Buffer::Num(v) => v.len(),
        Buffer::Int(v) => v.len(),
    });
    let cols: Vec<Column> = names
        .iter()
        .zip(columns)
        .map(|(n, c)| match c {
            Buffer::Text(v) => {
                StringChunked::from_iter_options(n.as_str().into(), v.iter().map(|x| x.as_deref()))
                    .into_column()
            }
            Buffer::Num(v) => {
                Float64Chunked::from_iter_options(n.as_str().into(), v.iter().copied())
                    .into_column()
            }
            Buffer::Int(v) => {
                UInt64Chunked::from_iter_options(n.as_str().into(), v.iter().copied()).into_column()
            }
        })
        .collect();
    DataFrame::new(height, cols)
}
