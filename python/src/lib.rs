//! `stancemeter._native`: the scoring core for Python.
//!
//! - `Scorer` scores texts as `stancemeter score` does: VADER (exactly vaderSentiment 3.3.2 with
//!   `raw=True`), the stance toward each target, and optionally entity mentions. `score_arrow` takes and
//!   gives Arrow record batches through the Arrow C data interface (pyo3-arrow), so no row passes
//!   through Python objects, and scoring runs with the GIL released.
//! - `Partial` is the core's mergeable partial aggregate: add scored batches per partition, merge in
//!   any order, finish into `run`'s summary, stance_summary, by_author and by_date tables.
//!
//! Everything that scores or aggregates is the `stancemeter` crate built without its default features
//! (no polars, no plotters); this file only converts between Arrow and the core's types.

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Float64Array, RecordBatch, StringArray, UInt64Array};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::PyRecordBatch;
use stancemeter::entity::Entities;
use stancemeter::ingest::columns::Role;
use stancemeter::model::{Kind, Label, Scored, Unit, describe_cues, sentiment_label};
use stancemeter::partial::{self, Column};
use stancemeter::score::target_column;
use stancemeter::stance::Target;
use stancemeter::text::QuoteSources;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

fn value_err(e: impl std::fmt::Display) -> PyErr {
    PyValueError::new_err(e.to_string())
}

/// A text column of `batch` as UTF-8 strings (any string or dictionary-of-string type is cast).
fn strings(batch: &RecordBatch, name: &str, role: &str) -> PyResult<StringArray> {
    let col = batch.column_by_name(name).ok_or_else(|| {
        let have: Vec<&str> = batch
            .schema_ref()
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect();
        PyKeyError::new_err(format!(
            "{role} column {name:?} is not in the batch (its columns: {})",
            have.join(", ")
        ))
    })?;
    let text_like = matches!(
        col.data_type(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View | DataType::Dictionary(..)
    );
    if role == "text" && !text_like {
        return Err(PyTypeError::new_err(format!(
            "text column {name:?} holds {}, not text",
            col.data_type()
        )));
    }
    let cast = arrow_cast::cast(col, &DataType::Utf8).map_err(|e| {
        PyTypeError::new_err(format!(
            "{role} column {name:?} ({}) cannot be read as text: {e}",
            col.data_type()
        ))
    })?;
    Ok(cast.as_string::<i32>().clone())
}

/// The field metadata key that names the target of a stance column.
const TARGET_KEY: &str = "stancemeter:target";

/// The document rows belong to when no doc column is given.
const DOC: &str = "arrow";

/// A record batch from Python, with a hint for the common mistakes (a Table, a DataFrame).
fn record_batch(obj: &Bound<'_, PyAny>) -> PyResult<RecordBatch> {
    obj.extract::<PyRecordBatch>()
        .map(PyRecordBatch::into_inner)
        .map_err(|_| {
            let kind = obj
                .get_type()
                .name()
                .map_or_else(|_| "this object".to_string(), |n| n.to_string());
            PyTypeError::new_err(format!(
                "expected a pyarrow.RecordBatch (or an object with __arrow_c_array__), not {kind}; \
                 for a pyarrow.Table pass each of table.to_batches(), for a pandas DataFrame \
                 pyarrow.RecordBatch.from_pandas(df)"
            ))
        })
}

/// The first of `names` that is a column of `batch`.
fn first_present<'a>(batch: &RecordBatch, names: &[&'a str]) -> Option<&'a str> {
    names
        .iter()
        .copied()
        .find(|n| batch.column_by_name(n).is_some())
}

/// A column argument: `name` if given (it must exist), else the first of `auto` present (or none): for
/// author and date, the names `run` tries ([`Role::defaults`]).
fn column_arg<'a>(
    batch: &RecordBatch,
    given: Option<&'a str>,
    auto: &[&'a str],
    role: &str,
) -> PyResult<Option<&'a str>> {
    match given {
        Some(n) if batch.column_by_name(n).is_none() => {
            strings(batch, n, role).map(|_| None) // the error that names the columns
        }
        Some(n) => Ok(Some(n)),
        None => Ok(first_present(batch, auto)),
    }
}

fn unit(k: usize, text: &str, doc: &str, kind: Option<Kind>) -> Unit {
    Unit {
        id: (k + 1).to_string(),
        doc_id: doc.into(),
        kind,
        author: None,
        date: None,
        parent_id: None,
        depth: 0,
        thread_root: None,
        source: "arrow".into(),
        line: k as u64 + 1,
        text: text.to_string(),
    }
}

/// Scores texts: VADER sentiment, stance toward each target, and (optionally) entity mentions.
///
/// target: None for the default target (Xiaomi's US entry), a path to a target TOML, a list of paths,
///     or False for no stance.
/// entities: None or False for none, True for the default entities, or a path to an entities TOML.
/// raw: score the text as written, exactly as vaderSentiment 3.3.2 does (no normalisation).
/// keep_quotes: count sentences that repeat the parent's text (see `score_arrow`) as the writer's own.
#[pyclass(frozen, module = "stancemeter._native")]
struct Scorer {
    inner: stancemeter::score::Scorer,
    /// The same scorer keeping quotes, for rows with nothing they could quote (no parent text, no article
    /// text for their document, no `>` line): it skips the sentence split that only quote marking would
    /// need, which for VADER alone is most of the work. The scores are the same, as nothing is marked.
    plain: stancemeter::score::Scorer,
    /// Article text per document, which comments may quote (`add_article`).
    articles: RwLock<QuoteSources>,
}

/// The targets `target` names, each with the model that decides it: a model of `models` for its id,
/// else the one its file names, or none with `no_model`.
fn load_targets(
    target: Option<&Bound<'_, PyAny>>,
    models: &[PathBuf],
    no_model: bool,
) -> PyResult<Vec<Target>> {
    let Some(t) = target else {
        return stancemeter::config::embedded_targets(models, no_model).map_err(value_err);
    };
    if let Ok(b) = t.extract::<bool>() {
        if b {
            return Err(PyTypeError::new_err(
                "target=True is ambiguous: give None for the default target, a path, or a list of paths",
            ));
        }
        return no_targets(models);
    }
    let paths: Vec<PathBuf> = match t.extract::<PathBuf>() {
        Ok(p) => vec![p],
        Err(_) => t.extract::<Vec<PathBuf>>().map_err(|_| {
            PyTypeError::new_err("target must be None, False, a path or a list of paths")
        })?,
    };
    if paths.is_empty() {
        return no_targets(models);
    }
    Ok(stancemeter::config::targets(&paths, models, no_model)
        .map_err(value_err)?
        .0)
}

/// No targets; an error when models are given, as they have no target to decide for.
fn no_targets(models: &[PathBuf]) -> PyResult<Vec<Target>> {
    match models.first() {
        None => Ok(Vec::new()),
        Some(p) => Err(PyValueError::new_err(format!(
            "model {} has no target to decide for: give its target file as target=",
            p.display()
        ))),
    }
}

fn load_entities(entities: Option<&Bound<'_, PyAny>>) -> PyResult<Option<Entities>> {
    let Some(e) = entities else { return Ok(None) };
    if let Ok(b) = e.extract::<bool>() {
        return if b {
            Ok(Some(Entities::resolve(None).map_err(value_err)?.0))
        } else {
            Ok(None)
        };
    }
    let p: PathBuf = e
        .extract()
        .map_err(|_| PyTypeError::new_err("entities must be None, a bool or a path"))?;
    Ok(Some(Entities::resolve(Some(&p)).map_err(value_err)?.0))
}

/// The output column names: VADER's, then stance, stance_score, stance_confidence and stance_cues per
/// target (suffixed
/// with `_<id>` after the first, as `stancemeter score` names them), then entities when on.
fn out_names(s: &stancemeter::score::Scorer) -> Vec<String> {
    let mut names: Vec<String> = ["neg", "neu", "pos", "compound", "sentiment"]
        .map(String::from)
        .to_vec();
    for (k, t) in s.targets().iter().enumerate() {
        for c in ["stance", "stance_score", "stance_confidence", "stance_cues"] {
            names.push(target_column(c, k, t.id()));
        }
    }
    if s.entities().is_some() {
        names.push("entities".into());
    }
    names
}

/// What a row brings besides its text.
#[derive(Clone, Copy)]
struct Row<'a> {
    parent: Option<&'a str>,
    doc: &'a str,
    kind: Option<Kind>,
}

impl Default for Row<'_> {
    fn default() -> Self {
        Row {
            parent: None,
            doc: DOC,
            kind: None,
        }
    }
}

/// `stance_score` and `stance_confidence` as `stancemeter score` writes them: rounded to 6 decimals.
fn stance_score(x: f64) -> f64 {
    stancemeter::pystr::round(x, 6)
}

/// Entity mentions as one cell: `xiaomi +0.4404; apple -0.2023`, in text order.
fn describe_mentions(s: &Scored) -> String {
    s.mentions
        .iter()
        .map(|m| format!("{} {:+}", m.entity, m.polarity.compound))
        .collect::<Vec<_>>()
        .join("; ")
}

impl Scorer {
    /// Scores one text, marking the sentences that repeat `parent` or its document's article text as
    /// quotes (left out of VADER, stance and entities unless `keep_quotes`), as `run` does for a comment
    /// whose parent is in the corpus.
    fn score_one(&self, k: usize, text: &str, row: Row<'_>) -> Scored {
        let u = unit(k, text, row.doc, row.kind);
        if self.inner.keep_quotes() {
            return self.inner.score(self.inner.prepare(u));
        }
        let articles = self.articles.read().unwrap_or_else(|e| e.into_inner());
        // A line opening with `>` is a quote even with nothing to quote from.
        if row.parent.is_none()
            && !articles.has_article(row.doc)
            && !stancemeter::text::has_quote_lines(text, self.inner.raw())
        {
            return self.plain.score(self.plain.prepare(u));
        }
        let mut p = self.inner.prepare(u);
        let parent = row
            .parent
            .map(|t| self.inner.prepare(unit(0, t, row.doc, None)));
        articles.mark_with_parent(&mut p, parent.as_ref());
        self.inner.score(p)
    }

    /// The output columns for scored rows (None where the text was null).
    fn columns(&self, scored: &[Option<Scored>]) -> Vec<ArrayRef> {
        let f = |g: &dyn Fn(&Scored) -> f64| -> ArrayRef {
            Arc::new(Float64Array::from_iter(
                scored.iter().map(|s| s.as_ref().map(g)),
            ))
        };
        let t = |g: &dyn Fn(&Scored) -> String| -> ArrayRef {
            Arc::new(StringArray::from_iter(
                scored.iter().map(|s| s.as_ref().map(g)),
            ))
        };
        let mut out = vec![
            f(&|s| s.polarity.neg),
            f(&|s| s.polarity.neu),
            f(&|s| s.polarity.pos),
            f(&|s| s.polarity.compound),
            t(&|s| sentiment_label(s.polarity.compound).to_string()),
        ];
        for j in 0..self.inner.targets().len() {
            out.push(t(&|s| s.stances[j].label.to_string()));
            out.push(f(&|s| stance_score(s.stances[j].score)));
            out.push(f(&|s| stance_score(s.stances[j].confidence)));
            out.push(t(&|s| describe_cues(&s.stances[j].cues)));
        }
        if self.inner.entities().is_some() {
            out.push(t(&describe_mentions));
        }
        out
    }
}

#[pymethods]
impl Scorer {
    #[new]
    #[pyo3(signature = (target=None, entities=None, raw=false, keep_quotes=false, model=None))]
    fn new(
        target: Option<&Bound<'_, PyAny>>,
        entities: Option<&Bound<'_, PyAny>>,
        raw: bool,
        keep_quotes: bool,
        model: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Scorer> {
        // None: the models the target files name; False: none (the cues decide alone); paths: these.
        let mut no_model = false;
        let models: Vec<PathBuf> = match model {
            None => Vec::new(),
            Some(m) if matches!(m.extract::<bool>(), Ok(false)) => {
                no_model = true;
                Vec::new()
            }
            Some(m) => match m.extract::<PathBuf>() {
                Ok(p) => vec![p],
                Err(_) => m.extract::<Vec<PathBuf>>().map_err(|_| {
                    PyTypeError::new_err("model must be None, False, a path or a list of paths")
                })?,
            },
        };
        let targets = load_targets(target, &models, no_model)?;
        let entities = load_entities(entities)?;
        let plain = stancemeter::score::Scorer::new(targets.clone(), entities.clone(), raw, true);
        Ok(Scorer {
            inner: stancemeter::score::Scorer::new(targets, entities, raw, keep_quotes),
            plain,
            articles: RwLock::new(QuoteSources::default()),
        })
    }

    /// The target ids, in the order of the stance columns.
    #[getter]
    fn targets(&self) -> Vec<String> {
        self.inner
            .targets()
            .iter()
            .map(|t| t.id().to_string())
            .collect()
    }

    /// The names of the columns `score_arrow` adds, in order.
    #[getter]
    fn output_columns(&self) -> Vec<String> {
        out_names(&self.inner)
    }

    /// Scores a list of texts; gives one dict per text with the `output_columns`. For small jobs: large
    /// ones should use `score_arrow`.
    fn score<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        if texts.is_instance_of::<pyo3::types::PyString>() {
            return Err(PyTypeError::new_err(
                "score takes a list of texts; for one text, score([text])",
            ));
        }
        let texts: Vec<String> = texts
            .extract()
            .map_err(|_| PyTypeError::new_err("score takes a list of str"))?;
        let scored: Vec<Option<Scored>> = py.detach(|| {
            texts
                .iter()
                .enumerate()
                .map(|(k, t)| Some(self.score_one(k, t, Row::default())))
                .collect()
        });
        let names = out_names(&self.inner);
        let cols = self.columns(&scored);
        let out = PyList::empty(py);
        for k in 0..texts.len() {
            let d = PyDict::new(py);
            for (name, c) in names.iter().zip(&cols) {
                if let Some(a) = c.as_any().downcast_ref::<Float64Array>() {
                    d.set_item(name, a.value(k))?;
                } else {
                    d.set_item(name, c.as_string::<i32>().value(k))?;
                }
            }
            out.append(d)?;
        }
        Ok(out)
    }

    /// Adds article text of document `doc` (a paragraph, heading, title or caption): comments of that
    /// document that repeat it quote the article, as `run` marks them.
    #[pyo3(signature = (text, doc=DOC))]
    fn add_article(&self, text: &str, doc: &str) {
        let p = self
            .inner
            .prepare(unit(0, text, doc, Some(Kind::Paragraph)));
        let mut a = self.articles.write().unwrap_or_else(|e| e.into_inner());
        a.add_article(&p);
    }

    /// Scores the text column of an Arrow record batch (a pyarrow.RecordBatch, or anything with
    /// `__arrow_c_array__`) and gives a pyarrow.RecordBatch: the input columns, then `output_columns`.
    /// A row is rejected, with null scores, as `run` rejects a record: no text, an empty text (unless
    /// keep_empty: all zeros, as vaderSentiment gives), a text over max_text_bytes (1 MiB; 0 or None for
    /// no limit). With `parent_text_column`, sentences that repeat the parent's text
    /// are quotes, left out as `run` leaves them out (unless keep_quotes); so are sentences that repeat
    /// the article text given to `add_article` for the row's document (`doc_column`, or one document).
    /// `kind_column` names the kind of each row (article kinds are never marked as quoting).
    #[pyo3(signature = (batch, text_column="text", parent_text_column=None, doc_column=None, kind_column=None, keep_empty=false, max_text_bytes=Some(1 << 20)))]
    #[allow(clippy::too_many_arguments)] // Python keyword arguments
    fn score_arrow<'py>(
        &self,
        py: Python<'py>,
        batch: &Bound<'py, PyAny>,
        text_column: &str,
        parent_text_column: Option<&str>,
        doc_column: Option<&str>,
        kind_column: Option<&str>,
        keep_empty: bool,
        max_text_bytes: Option<usize>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let batch = record_batch(batch)?;
        let texts = strings(&batch, text_column, "text")?;
        let column =
            |name: Option<&str>, role: &str| name.map(|c| strings(&batch, c, role)).transpose();
        let parents = column(parent_text_column, "parent text")?;
        let docs = column(doc_column, "doc")?;
        let kinds = column(kind_column, "kind")?;
        let names = out_names(&self.inner);
        for n in &names {
            if batch.schema_ref().column_with_name(n).is_some() {
                return Err(PyValueError::new_err(format!(
                    "the batch already has a column {n:?}, which score_arrow adds; rename or drop it first"
                )));
            }
        }
        let out = py.detach(|| -> PyResult<RecordBatch> {
            fn get(c: &Option<StringArray>, k: usize) -> Option<&str> {
                c.as_ref().filter(|a| !a.is_null(k)).map(|a| a.value(k))
            }
            let scored: Vec<Option<Scored>> = (0..texts.len())
                .map(|k| {
                    let kind = get(&kinds, k)
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(stancemeter::ingest::records::kind_field)
                        .transpose()
                        .map_err(|why| {
                            PyValueError::new_err(format!("row {}: kind {why}", k + 1))
                        })?;
                    let row = Row {
                        parent: get(&parents, k),
                        doc: get(&docs, k).unwrap_or(DOC),
                        kind,
                    };
                    // Rejected as `run` rejects them: no text, an empty one (unless keep_empty), one
                    // over the size limit. Their scores are null, and Partial.add_arrow leaves them out.
                    let ok = !texts.is_null(k)
                        && (keep_empty || !texts.value(k).trim().is_empty())
                        && max_text_bytes.is_none_or(|m| m == 0 || texts.value(k).len() <= m);
                    Ok(ok.then(|| self.score_one(k, texts.value(k), row)))
                })
                .collect::<PyResult<_>>()?;
            let mut fields: Vec<Arc<Field>> = batch.schema_ref().fields().iter().cloned().collect();
            let mut columns: Vec<ArrayRef> = batch.columns().to_vec();
            let targets = self.targets();
            for (name, c) in names.iter().zip(self.columns(&scored)) {
                let mut field = Field::new(name, c.data_type().clone(), true);
                // The label column of each target says which target it is, for Partial.add_arrow.
                let label_of = targets
                    .iter()
                    .enumerate()
                    .find(|(k, t)| *name == target_column("stance", *k, t));
                if let Some((_, t)) = label_of {
                    field = field.with_metadata([(TARGET_KEY.to_string(), t.clone())].into());
                }
                fields.push(Arc::new(field));
                columns.push(c);
            }
            RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(value_err)
        })?;
        PyRecordBatch::new(out).into_pyarrow(py)
    }

    /// An empty `Partial` for this scorer's targets.
    fn partial(&self) -> Partial {
        Partial {
            inner: partial::Partial::new(self.targets()),
        }
    }
}

/// A mergeable partial aggregate of scored units: add scored batches (per partition), merge partials in
/// any order, and finish into the summary, stance_summary, by_author and by_date tables that
/// `stancemeter run` writes, to the same bytes.
#[pyclass(module = "stancemeter._native")]
struct Partial {
    inner: partial::Partial,
}

fn labels(col: &StringArray, k: usize, name: &str) -> PyResult<Label> {
    if col.is_null(k) {
        return Err(PyValueError::new_err(format!(
            "row {}: stance column {name:?} is null",
            k + 1
        )));
    }
    Label::parse(col.value(k)).ok_or_else(|| {
        PyValueError::new_err(format!(
            "row {}: stance column {name:?} holds {:?}, not favor, against or none",
            k + 1,
            col.value(k)
        ))
    })
}

#[pymethods]
impl Partial {
    #[new]
    #[pyo3(signature = (targets=None))]
    fn new(targets: Option<Vec<String>>) -> Partial {
        Partial {
            inner: partial::Partial::new(targets.unwrap_or_default()),
        }
    }

    /// The target ids.
    #[getter]
    fn targets(&self) -> Vec<String> {
        self.inner.targets().to_vec()
    }

    /// Units added.
    #[getter]
    fn units(&self) -> u64 {
        self.inner.units()
    }

    /// Adds the rows of a batch that `Scorer.score_arrow` scored; gives how many rows it left out. Kind,
    /// author and date are read as `stancemeter run` reads them (kind by name, comment when missing;
    /// author trimmed; date as ISO 8601 or Unix seconds). Left as None, the author and date columns are the
    /// first of the names `run` tries (`column_defaults()`) that the batch has. Rows that score_arrow rejected (null compound) are left out. A row whose
    /// kind or date cannot be read is an error naming it, and nothing of the batch is added; with
    /// skip_bad it is left out (and counted), as `run --skip-bad` rejects it.
    #[pyo3(signature = (batch, kind_column="kind", author_column=None, date_column=None, skip_bad=false))]
    fn add_arrow(
        &mut self,
        py: Python<'_>,
        batch: &Bound<'_, PyAny>,
        kind_column: Option<&str>,
        author_column: Option<&str>,
        date_column: Option<&str>,
        skip_bad: bool,
    ) -> PyResult<u64> {
        let batch = record_batch(batch)?;
        let optional = |name: Option<&str>, role: &str| -> PyResult<Option<StringArray>> {
            name.map(|n| strings(&batch, n, role)).transpose()
        };
        let kinds = optional(
            kind_column.filter(|k| batch.column_by_name(k).is_some()),
            "kind",
        )?;
        let authors = optional(
            column_arg(&batch, author_column, Role::Author.defaults(), "author")?,
            "author",
        )?;
        let dates = optional(
            column_arg(&batch, date_column, Role::Date.defaults(), "date")?,
            "date",
        )?;
        let compound_col = batch.column_by_name("compound").ok_or_else(|| {
            PyKeyError::new_err(
                "the batch has no compound column: add batches that Scorer.score_arrow gave",
            )
        })?;
        let compounds = compound_col
            .as_any()
            .downcast_ref::<Float64Array>()
            .ok_or_else(|| PyTypeError::new_err("compound must be float64"))?
            .clone();
        let mut stance_cols = Vec::new();
        for (k, t) in self.inner.targets().iter().enumerate() {
            let name = target_column("stance", k, t);
            let c = strings(&batch, &name, "stance")?;
            // score_arrow marks each stance column with its target; a batch scored for another target
            // must not be counted as this one's.
            if let Some(scored_for) = batch
                .schema_ref()
                .field_with_name(&name)
                .ok()
                .and_then(|f| f.metadata().get(TARGET_KEY))
                .filter(|id| *id != t)
            {
                return Err(PyValueError::new_err(format!(
                    "column {name:?} holds stances toward {scored_for:?}, but this partial counts {t:?}; \
                     make the partial with scorer.partial() of the scorer that scored the batch"
                )));
            }
            stance_cols.push((name, c));
        }
        let targets = self.inner.targets().to_vec();
        let inner = &mut self.inner;
        py.detach(|| -> PyResult<u64> {
            fn get(c: &Option<StringArray>, k: usize) -> Option<&str> {
                c.as_ref().filter(|a| !a.is_null(k)).map(|a| a.value(k))
            }
            // Into a partial of its own first, so that an error adds nothing.
            let mut batch_part = partial::Partial::new(targets);
            let mut ls = Vec::with_capacity(stance_cols.len());
            let mut skipped = 0u64;
            for k in 0..batch.num_rows() {
                if compounds.is_null(k) {
                    skipped += 1;
                    continue;
                }
                ls.clear();
                for (name, c) in &stance_cols {
                    ls.push(labels(c, k, name)?);
                }
                let added = batch_part.add_fields(
                    get(&kinds, k),
                    get(&authors, k),
                    get(&dates, k),
                    compounds.value(k),
                    &ls,
                );
                match added {
                    Ok(()) => {}
                    Err(_) if skip_bad => skipped += 1,
                    Err(e) => {
                        return Err(PyValueError::new_err(format!(
                            "row {} of the batch: {e} (nothing of this batch was added; skip_bad=True leaves such rows out)",
                            k + 1
                        )));
                    }
                }
            }
            inner.merge(&batch_part).map_err(value_err)?;
            Ok(skipped)
        })
    }

    /// Adds everything `other` holds (same targets); a partial merged with itself counts twice.
    fn merge(slf: &Bound<'_, Self>, other: &Bound<'_, Partial>) -> PyResult<()> {
        let copy = if slf.is(other) {
            Some(slf.borrow().inner.clone())
        } else {
            None
        };
        let mut me = slf.borrow_mut();
        match copy {
            Some(c) => me.inner.merge(&c),
            None => me.inner.merge(&other.borrow().inner),
        }
        .map_err(value_err)
    }

    /// The partial as JSON text, to ship between processes.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// A partial from `to_json`'s text.
    #[staticmethod]
    fn from_json(text: &str) -> PyResult<Partial> {
        Ok(Partial {
            inner: partial::Partial::from_json(text).map_err(value_err)?,
        })
    }

    /// The four tables as pyarrow.RecordBatches, by name: summary, stance_summary, by_author, by_date.
    fn tables<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for t in self.inner.finish().all() {
            let mut fields = Vec::new();
            let mut columns: Vec<ArrayRef> = Vec::new();
            for (name, c) in &t.columns {
                let a: ArrayRef = match c {
                    Column::Str(v) => Arc::new(StringArray::from_iter_values(v)),
                    Column::U64(v) => Arc::new(UInt64Array::from(v.clone())),
                    Column::F64(v) => Arc::new(Float64Array::from(v.clone())),
                };
                fields.push(Field::new(*name, a.data_type().clone(), false));
                columns.push(a);
            }
            let b =
                RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).map_err(value_err)?;
            out.set_item(t.name, PyRecordBatch::new(b).into_pyarrow(py)?)?;
        }
        Ok(out)
    }

    /// Writes summary.csv, stance_summary.csv, by_author.csv and by_date.csv into `folder` (created if
    /// missing), byte for byte as `stancemeter run` writes them; gives the paths written.
    #[pyo3(signature = (folder, excel=false))]
    fn write_csv(&self, folder: PathBuf, excel: bool) -> PyResult<Vec<PathBuf>> {
        std::fs::create_dir_all(&folder).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("creating {}: {e}", folder.display()))
        })?;
        let dialect = stancemeter::export::Dialect { excel };
        let mut written = Vec::new();
        for t in self.inner.finish().all() {
            let path = folder.join(format!("{}.csv", t.name));
            t.write_csv(&path, dialect).map_err(value_err)?;
            written.push(path);
        }
        Ok(written)
    }

    fn __repr__(&self) -> String {
        format!(
            "Partial(targets={:?}, units={})",
            self.inner.targets(),
            self.inner.units()
        )
    }
}

/// The column names `stancemeter run` tries for each role when none is named, in order, by role (text,
/// id, author, date, parent, kind, doc): the Spark job reads records as `run` does with them.
#[pyfunction]
fn column_defaults() -> Vec<(String, Vec<&'static str>)> {
    Role::ALL
        .iter()
        .map(|r| {
            let name = r
                .flag()
                .trim_start_matches("--")
                .trim_end_matches("-column");
            (name.to_string(), r.defaults().to_vec())
        })
        .collect()
}

/// The scoring core of stancemeter.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(column_defaults, m)?)?;
    m.add_class::<Scorer>()?;
    m.add_class::<Partial>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
