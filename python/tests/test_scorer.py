"""The Python package scores exactly as the CLI does."""

import csv
import io
import subprocess

import pyarrow as pa
import pytest

from stancemeter import Scorer

from conftest import ROOT

CORPORA = ["tweets", "movie_reviews", "amazon_reviews", "nyt_editorials", "edge_cases"]


def read_tsv(path):
    ids, texts = [], []
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if not line:
                continue
            fields = line.split("\t", 2)
            ids.append(fields[0])
            texts.append(fields[2] if len(fields) > 2 else "")
    return ids, texts


@pytest.mark.parametrize("name", CORPORA)
def test_raw_vader_is_the_reference_byte_for_byte(conformance, name):
    """score_arrow(raw=True) prints, as Python prints floats, the reference's own CSV (expected/NAME.csv),
    which `stancemeter score --raw` also prints byte for byte."""
    ids, texts = read_tsv(conformance / "corpora" / f"{name}.tsv")
    scorer = Scorer(target=False, raw=True)
    out = scorer.score_arrow(pa.record_batch({"id": ids, "text": texts}), keep_empty=True)
    cols = out.to_pydict()
    lines = ["id,neg,neu,pos,compound"]
    for k, i in enumerate(ids):
        lines.append(",".join([i] + [repr(cols[c][k]) for c in ("neg", "neu", "pos", "compound")]))
    want = (conformance / "expected" / f"{name}.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(want)
    bad = [(g, w) for g, w in zip(lines, want) if g != w]
    assert not bad, f"{len(bad)} rows differ, first: {bad[:3]}"


def test_list_api_matches_the_arrow_api():
    s = Scorer()
    texts = ["Xiaomi coming to the US is the best news", "Block it. Never again.", "meh"]
    rows = s.score(texts)
    cols = s.score_arrow(pa.record_batch({"text": texts})).to_pydict()
    for k, r in enumerate(rows):
        assert set(r) == set(s.output_columns)
        for c in s.output_columns:
            assert r[c] == cols[c][k], (c, k)


def cli_score(binary, texts, *flags):
    """The rows `stancemeter score` writes for `texts` (ids 1, 2, ...) with `flags`."""
    src = io.StringIO()
    w = csv.writer(src, lineterminator="\n")
    w.writerow(["id", "text"])
    for k, t in enumerate(texts):
        w.writerow([k + 1, t])
    cli = subprocess.run(
        [binary, "score", "--format", "csv", *flags, "-"],
        input=src.getvalue().encode(), capture_output=True, check=True,
    ).stdout.decode()
    return list(csv.DictReader(io.StringIO(cli)))


def test_stance_matches_the_score_command(binary):
    """Stance label, score and cues toward the default target as `stancemeter score --target` writes them."""
    fixture = ROOT / "tests" / "fixtures" / "stance" / "dev.csv"
    with open(fixture, encoding="utf-8", newline="") as f:
        texts = [row["text"] for row in csv.DictReader(f)]
    target = ROOT / "data" / "targets" / "xiaomi-us-entry.toml"
    want = cli_score(binary, texts, "--target", target)
    got = Scorer(target=str(target)).score_arrow(pa.record_batch({"text": texts})).to_pydict()
    assert len(want) == len(texts) > 50
    for k, row in enumerate(want):
        assert got["stance"][k] == row["stance"], k
        assert got["stance_score"][k] == float(row["stance_score"]), k
        assert got["stance_confidence"][k] == float(row["stance_confidence"]), k
        assert got["stance_cues"][k] == row["stance_cues"], k
        for c in ("neg", "neu", "pos", "compound"):
            assert repr(got[c][k]) == row[c], (k, c)


def test_the_default_target_decides_with_its_model_unless_model_false(binary):
    """Scorer() uses the default target's own model, as `stancemeter score --target` does; model=False
    lets the cues decide alone, as `--no-model` does."""
    target = ROOT / "data" / "targets" / "xiaomi-us-entry.toml"
    texts = ["Please bring Xiaomi here, I would buy one.", "Keep their phones off our networks.",
             "The FCC met on Tuesday."]
    for kwargs, flags in (({}, []), ({"model": False}, ["--no-model"])):
        want = cli_score(binary, texts, "--target", target, *flags)
        got = Scorer(**kwargs).score_arrow(pa.record_batch({"text": texts})).to_pydict()
        for k, row in enumerate(want):
            assert got["stance"][k] == row["stance"], (kwargs, k)
            assert got["stance_cues"][k] == row["stance_cues"], (kwargs, k)
    with_model = Scorer().score_arrow(pa.record_batch({"text": texts})).to_pydict()
    cues_alone = Scorer(model=False).score_arrow(pa.record_batch({"text": texts})).to_pydict()
    assert with_model["stance_cues"] != cues_alone["stance_cues"]


def test_inputs_pass_through_and_nulls_stay_null():
    b = pa.record_batch({"n": [1, 2], "text": ["good", None]})
    out = Scorer().score_arrow(b)
    assert out.column_names[:2] == ["n", "text"]
    assert out.column("n").to_pylist() == [1, 2]
    assert out.column("compound").to_pylist()[1] is None
    assert out.column("stance").to_pylist()[1] is None


def test_quotes_of_the_parent_are_left_out_of_stance():
    parent = "We should ban Xiaomi from the US market now."
    reply = "We should ban Xiaomi from the US market now. I disagree."
    b = pa.record_batch({"text": [reply], "parent_text": [parent]})
    s = Scorer()
    with_parent = s.score_arrow(b, parent_text_column="parent_text").to_pydict()
    without = s.score_arrow(b).to_pydict()
    assert "ban" in without["stance_cues"][0]
    assert "ban" not in with_parent["stance_cues"][0]
    kept = Scorer(keep_quotes=True).score_arrow(b, parent_text_column="parent_text").to_pydict()
    assert kept["stance_cues"][0] == without["stance_cues"][0]


def test_errors_name_the_column_and_the_file(tmp_path):
    s = Scorer()
    with pytest.raises(KeyError, match="body"):
        s.score_arrow(pa.record_batch({"text": ["x"]}), text_column="body")
    with pytest.raises(ValueError, match="already has a column \"compound\""):
        s.score_arrow(pa.record_batch({"text": ["x"], "compound": [1.0]}))
    bad = tmp_path / "t.toml"
    bad.write_text("nonsense = [")
    with pytest.raises(ValueError, match="t.toml"):
        Scorer(target=str(bad))
    with pytest.raises(TypeError):
        Scorer(target=True)


def test_entities_column():
    s = Scorer(entities=True)
    out = s.score_arrow(pa.record_batch({"text": ["I love my Xiaomi but hate Apple."]})).to_pydict()
    assert "entities" in s.output_columns
    assert "xiaomi +" in out["entities"][0] and "apple -" in out["entities"][0]


def test_rejects_are_null_as_run_rejects_them():
    s = Scorer()
    b = pa.record_batch({"text": ["good", "", "   ", "x" * 20]})
    out = s.score_arrow(b, max_text_bytes=10).to_pydict()
    assert out["compound"] == [0.4404, None, None, None]
    kept = s.score_arrow(b, keep_empty=True, max_text_bytes=None).to_pydict()
    assert kept["compound"][1] == 0.0 and kept["compound"][3] is not None


def test_helpful_type_errors():
    s = Scorer()
    with pytest.raises(TypeError, match=r"score\(\[text\]\)"):
        s.score("abc")
    with pytest.raises(TypeError, match="to_batches"):
        s.score_arrow(pa.table({"text": ["x"]}))
    with pytest.raises(TypeError, match="not text"):
        s.score_arrow(pa.record_batch({"text": [1, 2]}))


def test_a_learned_model_decides_as_the_score_command(binary, tmp_path):
    """Scorer(model=...) decides and explains as `stancemeter score --model` does; a model for another
    target is refused."""
    fixture = ROOT / "tests" / "fixtures" / "stance" / "dev.csv"
    target = ROOT / "data" / "targets" / "xiaomi-us-entry.toml"
    model = tmp_path / "x.model"
    subprocess.run(
        [binary, "learn", "--labels", fixture, "--out", tmp_path / "x.toml", "--model", model,
         "--target", target],
        capture_output=True, check=True,
    )
    texts = ["Please bring Xiaomi here, I would buy one.", "Ban them, never trust Chinese spyware.",
             "The FCC met on Tuesday."]
    want = cli_score(binary, texts, "--target", target, "--model", model)
    got = Scorer(target=str(target), model=str(model)).score_arrow(
        pa.record_batch({"text": texts})).to_pydict()
    for k, row in enumerate(want):
        assert got["stance"][k] == row["stance"], k
        assert got["stance_score"][k] == float(row["stance_score"]), k
        assert got["stance_cues"][k] == row["stance_cues"], k
    assert any(":" in c for c in got["stance_cues"] if c), got["stance_cues"]
    other = tmp_path / "other.model"
    other.write_text(model.read_text().replace("target\txiaomi-us-entry", "target\tother"))
    with pytest.raises(ValueError, match="is a model for target"):
        Scorer(target=str(target), model=str(other))
