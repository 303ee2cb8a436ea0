//! `stancemeter eval` through the binary: the default target on the development set, JSON output, and
//! TweetEval-style folders.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a test or bench reports on the console

mod common;
use predicates::prelude::*;

/// `eval --json` on `labels`, with the default target unless `target` names one.
fn eval_json_with(labels: &std::path::Path, target: Option<&std::path::Path>) -> serde_json::Value {
    eval_json_args(labels, target, &[])
}

/// `eval --json` on `labels` with more arguments (`--no-model`).
fn eval_json_args(
    labels: &std::path::Path,
    target: Option<&std::path::Path>,
    args: &[&str],
) -> serde_json::Value {
    let mut cmd = common::bin();
    cmd.args(["eval", "--json", "--labels"])
        .arg(labels)
        .args(args)
        .current_dir(common::root());
    if let Some(t) = target {
        cmd.arg("--target").arg(t);
    }
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

fn eval_json(labels: &std::path::Path) -> serde_json::Value {
    eval_json_with(labels, None)
}

/// `learn` of `labels` (fixtures) into the target `out` and the model `model`, run from the project root;
/// the caller adds its own arguments and assertions.
fn learn(labels: &[&str], out: &std::path::Path, model: &std::path::Path) -> assert_cmd::Command {
    let mut cmd = common::bin();
    cmd.arg("learn").current_dir(common::root());
    for l in labels {
        cmd.arg("--labels").arg(common::fixture(l));
    }
    cmd.arg("--out").arg(out).arg("--model").arg(model);
    cmd
}

/// The requirement on the development sets (development figures: the cues were written with them
/// visible, and the default model is trained on them): at least 0.90, with the model and with the cues
/// alone.
#[test]
fn default_target_reaches_f_avg_090_on_dev_and_heldout() {
    for (set, n) in [("dev", 60), ("heldout", 45)] {
        for args in [&[][..], &["--no-model"][..]] {
            let m = eval_json_args(&common::fixture(&format!("stance/{set}.csv")), None, args);
            let f_avg = m["metrics"]["f_avg"].as_f64().unwrap();
            assert!(f_avg >= 0.90, "{set} {args:?}: F_avg {f_avg}");
            assert_eq!(m["metrics"]["n"], n);
        }
    }
}

/// The default target decides with its model (its file's `model` key), which `eval --json` names;
/// `--no-model` lets the cues decide alone.
#[test]
fn default_target_decides_with_its_model_unless_no_model() {
    let labels = common::fixture("stance/blind2.csv");
    let with = eval_json(&labels);
    assert_eq!(with["model"], "data/targets/xiaomi-us-entry.model");
    let without = eval_json_args(&labels, None, &["--no-model"]);
    assert!(without["model"].is_null(), "{without}");
    assert_ne!(
        with["metrics"]["confusion"],
        without["metrics"]["confusion"]
    );
}

/// The blind set was written after the target was frozen and is never tuned on; this pins its figure so
/// that a change to the target shows its effect on unseen text in the test output.
#[test]
fn blind_set_figure_is_reported() {
    let m = eval_json(&common::fixture("stance/blind.csv"));
    let f_avg = m["metrics"]["f_avg"].as_f64().unwrap();
    eprintln!("blind F_avg = {f_avg:.3}");
    assert!(f_avg >= 0.5, "generalisation fell: blind F_avg {f_avg}");
}

/// Fails if `set`'s F_avg (with `args`) falls more than 0.02 below `measured`.
fn does_not_drop(set: &str, n: usize, args: &[&str], measured: f64) {
    let m = eval_json_args(&common::fixture(&format!("stance/{set}.csv")), None, args);
    let f_avg = m["metrics"]["f_avg"].as_f64().unwrap();
    eprintln!(
        "{set} {args:?} F_avg = {f_avg:.3} (floor {:.3})",
        measured - 0.02
    );
    assert_eq!(m["metrics"]["n"], n);
    assert!(
        f_avg >= measured - 0.02,
        "{set} {args:?}: F_avg fell from {measured} to {f_avg:.3}"
    );
}

/// blind2.csv (144 comments) was written from the guidelines alone, without sight of the target file,
/// and is never tuned on. Its F_avg was 0.569 when it was written (f7c0963), 0.593 after the frames of
/// #12 (the cues alone, `--no-model`), 0.671 with the default model trained on data/stance, 0.739
/// after its fourth and fifth training batches, 0.771 after the sixth and seventh, 0.775 with negation
/// idioms and wishes for failure (the cues alone stayed at 0.593) and 0.822 after the eighth; these fail if a
/// change loses more than 0.02 of either. Raise a floor when a change raises the figure.
#[test]
fn blind2_f_avg_does_not_drop() {
    does_not_drop("blind2", 144, &[], 0.822);
    does_not_drop("blind2", 144, &["--no-model"], 0.593);
}

/// blind3.csv (120 comments, 40 per class) was written blind to the lexicon before the frames of #12 and
/// is never tuned on: 0.611 before them, 0.716 after (the cues alone), 0.924 with the default model, 0.962
/// after its fourth and fifth training batches, 0.975 after the sixth and seventh, 0.969 after the eighth.
/// The same floor rule as blind2.
#[test]
fn blind3_f_avg_does_not_drop() {
    does_not_drop("blind3", 120, &[], 0.969);
    does_not_drop("blind3", 120, &["--no-model"], 0.716);
}

/// blind4.csv (120 short plain comments, 40 per class: refusals to buy, plain accusations and support,
/// small talk, questions and facts) was written from the guidelines on 2026-12-06 for the plain statements
/// the default model misreads, before any change, and is never trained on: 0.812 with the default model,
/// 0.743 with the cues alone. A model trained with data/stance/xiaomi-plain.csv too scored it 0.850 but
/// blind2 0.786, and was not kept (data/stance/README.md). The same floor rule as blind2.
#[test]
fn blind4_f_avg_does_not_drop() {
    does_not_drop("blind4", 120, &[], 0.812);
    does_not_drop("blind4", 120, &["--no-model"], 0.743);
}

#[test]
fn table_output_has_every_metric_and_the_matrix() {
    let out = common::bin()
        .args(["eval", "--labels"])
        .arg(common::fixture("stance/dev.csv"))
        .current_dir(common::root())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for needle in [
        "precision",
        "recall",
        "F_avg",
        "macro-F1",
        "confusion (rows gold, columns predicted)",
        "against",
    ] {
        assert!(text.contains(needle), "{needle} missing from\n{text}");
    }
}

#[test]
fn tweeteval_folder_is_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("test_text.txt"),
        "Let them in, more competition!\nBan them now.\nIt launched in May.\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("test_labels.txt"), "2\n1\n0\n").unwrap();
    let m = eval_json(dir.path());
    assert_eq!(
        m["metrics"]["confusion"],
        serde_json::json!([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    );
}

/// `eval` of a labels file `l.csv` holding `body` fails with exit code 3 and says `message`.
fn eval_refuses(body: &str, message: &str) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("l.csv");
    std::fs::write(&p, body).unwrap();
    common::bin()
        .args(["eval", "--labels"])
        .arg(&p)
        .assert()
        .code(3)
        .stderr(predicates::str::contains(message));
}

#[test]
fn a_bad_label_names_file_line_and_field() {
    eval_refuses(
        "id,text,stance\n1,a,favor\n2,b,maybe\n",
        "l.csv, line 3: stance: \"maybe\" is not favor, against or none",
    );
}

#[test]
fn a_bad_label_names_its_line_after_crlf_line_ends_and_a_field_over_two_lines() {
    // As Excel or Python's csv module write it: the bad row is on line 4.
    eval_refuses(
        "id,text,stance\r\n1,\"two\r\nlines\",favor\r\n2,b,maybe\r\n",
        "l.csv, line 4: stance: \"maybe\" is not favor, against or none",
    );
}

#[test]
fn learn_names_the_flag_whose_target_id_is_not_valid_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("tesla.v2.toml");
    common::bin()
        .args(["learn", "--labels"])
        .arg(common::fixture("stance/dev.csv"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--out: the target id \"tesla.v2\" (made from",
        ))
        .stderr(predicates::str::contains("give one with --id"));
    assert!(!out.exists());
    common::bin()
        .args(["learn", "--id", "Tesla Plant", "--labels"])
        .arg(common::fixture("stance/dev.csv"))
        .arg("--out")
        .arg(dir.path().join("ok.toml"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "--id: the target id \"Tesla Plant\" may hold only",
        ));
}

#[test]
fn a_learned_cue_made_of_negators_is_not_turned_around_by_another() {
    let dir = tempfile::tempdir().unwrap();
    let against = [
        "no",
        "no thanks",
        "no way",
        "absolutely no",
        "no chance",
        "hell no",
        "no no",
        "just no",
        "no sir",
        "nope no",
        "no please",
        "big no",
    ];
    let favor = [
        "yes please come",
        "great phone love it",
        "buying one day one",
        "cant wait",
        "bring them here",
        "love the prices",
        "yes yes",
        "take my money",
        "so excited",
        "finally good news",
        "great news",
        "welcome them",
    ];
    let none = [
        "the weather is cloudy",
        "what time is it",
        "shipping takes a week",
        "the event starts at noon",
        "specs are on the site",
        "the price was announced",
        "it has a big screen",
        "stock is low",
        "battery is 4000 mAh",
        "the store opens at nine",
        "reviews come out friday",
        "colors are blue and black",
    ];
    let mut csv = String::from("id,text,stance\n");
    for (label, texts) in [("against", &against), ("favor", &favor), ("none", &none)] {
        for (i, t) in texts.iter().enumerate() {
            csv.push_str(&format!("{label}{i},{t},{label}\n"));
        }
    }
    let labels = dir.path().join("train.csv");
    std::fs::write(&labels, csv).unwrap();
    let out = dir.path().join("refusals.toml");
    common::bin()
        .args(["learn", "--labels"])
        .arg(&labels)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let toml = std::fs::read_to_string(&out).unwrap();
    assert!(
        toml.contains("cue = \"no\"\nweight = 3.0\nnegatable = false"),
        "{toml}"
    );
    // "no no no" repeats the refusal: every "no" counts against, none is negated.
    let test = dir.path().join("test.csv");
    std::fs::write(&test, "id,text,stance\nx1,no no no no no,against\n").unwrap();
    let preds = dir.path().join("p.csv");
    common::bin()
        .args(["eval", "--labels"])
        .arg(&test)
        .arg("--target")
        .arg(&out)
        .arg("--predictions")
        .arg(&preds)
        .assert()
        .success();
    let p = std::fs::read_to_string(&preds).unwrap();
    assert!(p.contains("x1,against,against,true"), "{p}");
    assert!(!p.contains("negated"), "{p}");
}

#[test]
fn learn_warns_when_the_chosen_threshold_leaves_none_rare() {
    // 40 comments on a Tesla plant, written by a fresh-eyes tester: the best F_avg comes at 0.2.
    let dir = tempfile::tempdir().unwrap();
    learn(
        &["stance/tesla-small.csv"],
        &dir.path().join("t.toml"),
        &dir.path().join("t.model"),
    )
    .assert()
    .success()
    .stderr(predicates::str::contains(
        "warning: threshold 0.2 was chosen because it gave the best F_avg",
    ))
    .stderr(predicates::str::contains("seldom answers none"));
}

#[test]
fn learn_writes_a_target_that_eval_and_run_accept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("learned.toml");
    common::bin()
        .args(["learn", "--min-z", "1.5", "--labels"])
        .arg(common::fixture("stance/dev.csv"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(
            predicates::str::contains("favor and")
                .and(predicates::str::contains("F_avg on the training examples")),
        );
    let toml = std::fs::read_to_string(&out).unwrap();
    assert!(
        toml.contains("id = \"learned\"")
            && toml.contains("[[favor]]")
            && toml.contains("[[against]]"),
        "{toml}"
    );
    let m = eval_json_with(&common::fixture("stance/dev.csv"), Some(&out));
    assert!(
        m["metrics"]["f_avg"].as_f64().unwrap() > 0.5,
        "a learned target fits its own training data"
    );
    common::bin()
        .args(["run", "--target"])
        .arg(&out)
        .arg("--out")
        .arg(dir.path().join("r"))
        .assert()
        .success();
}

/// `learn --model` trains a linear model with the default target's cue evidence; `eval`, `score` and
/// `run` decide with it through `--model`, and every decision lists the features that drove it.
#[test]
fn learn_model_is_used_by_eval_score_and_run() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("x.model");
    learn(&["stance/dev.csv"], &dir.path().join("x.toml"), &model)
        .args(["--target", "data/targets/xiaomi-us-entry.toml"])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "a linear model for target xiaomi-us-entry",
        ));
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(
        text.contains("# Strongest features per class")
            && text.contains("\nformat\tstancemeter-linear-1\n")
            && text.contains("\nlexicon\ttrue\n")
            && text.contains("\nlex:favor\t"),
        "{text}"
    );
    let out = common::bin()
        .args(["eval", "--json", "--labels"])
        .arg(common::fixture("stance/heldout.csv"))
        .arg("--model")
        .arg(&model)
        .current_dir(common::root())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let m: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(m["model"], model.display().to_string());
    let f = m["metrics"]["f_avg"].as_f64().unwrap();
    eprintln!("heldout F_avg with a model trained on dev = {f:.3}");
    assert!(f > 0.5, "{m}");
    let csv = dir.path().join("in.csv");
    std::fs::write(
        &csv,
        "id,text\n1,Please bring Xiaomi phones here. I would buy one on day one!\n2,Ban them. Never trust Chinese spyware.\n",
    )
    .unwrap();
    let out = common::bin()
        .arg("score")
        .arg(&csv)
        .arg("--model")
        .arg(&model)
        .current_dir(common::root())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let rows: Vec<&str> = out.lines().collect();
    assert!(
        rows[1].contains(",favor,") && rows[2].contains(",against,"),
        "{out}"
    );
    assert!(
        ["w:", "c:", "w+c:", "lex:"]
            .iter()
            .any(|k| rows[1].contains(k)),
        "features listed: {out}"
    );
    common::bin()
        .args(["run", "--quiet", "--model"])
        .arg(&model)
        .arg("--out")
        .arg(dir.path().join("r"))
        .current_dir(common::root())
        .assert()
        .success();
    let manifest = std::fs::read_to_string(dir.path().join("r/run.json")).unwrap();
    assert!(manifest.contains("\"features\""), "{manifest}");
    let cues = std::fs::read_to_string(dir.path().join("r/stance_cues.csv")).unwrap();
    assert!(
        [",w:", ",c:", ",w+c:"].iter().any(|k| cues.contains(k)),
        "{cues}"
    );
}

#[test]
fn a_model_for_another_target_or_a_broken_one_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.model");
    std::fs::write(
        &model,
        "format\tstancemeter-linear-1\ntarget\tother\nthreshold\t0.5\nfeature\tfavor\tagainst\tnone\n(bias)\t0\t0\t0\n",
    )
    .unwrap();
    // eval of dev.csv with the model as it stands.
    let eval = || {
        common::bin()
            .args(["eval", "--labels"])
            .arg(common::fixture("stance/dev.csv"))
            .arg("--model")
            .arg(&model)
            .current_dir(common::root())
            .assert()
    };
    eval().code(2).stderr(
        predicates::str::contains("--model").and(predicates::str::contains(
            "is a model for target \"other\", but the targets are xiaomi-us-entry",
        )),
    );
    std::fs::write(
        &model,
        "format\tstancemeter-linear-1\ntarget\txiaomi-us-entry\nthreshold\t0.5\nfeature\tfavor\tagainst\tnone\n(bias)\t0\t0\nw:x\t1\t2\t3\n",
    )
    .unwrap();
    eval().code(2).stderr(predicates::str::contains(
        "m.model: line 5: expected a feature and three weights",
    ));
}

/// `learn --model` writes nothing when the model cannot be made, and the model's header names the
/// training and the validation texts it was fitted on.
#[test]
fn learn_writes_both_files_or_neither() {
    let dir = tempfile::tempdir().unwrap();
    let (out, model) = (dir.path().join("t.toml"), dir.path().join("t.model"));
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "id,text,stance\n").unwrap();
    learn(&["stance/dev.csv"], &out, &model)
        .arg("--validation")
        .arg(&empty)
        .assert()
        .failure()
        .stderr(predicates::str::contains("empty.csv"));
    assert!(!out.exists() && !model.exists());
    learn(&["stance/dev.csv"], &out, &model)
        .arg("--validation")
        .arg(common::fixture("stance/heldout.csv"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "the validation texts are trained on too",
        ));
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(
        text.contains("# Training texts: ")
            && text.contains("dev.csv (60 texts: 21 favor, 19 against, 20 none)")
            && text.contains("# Validation texts: ")
            && text.contains("so do not evaluate it on either"),
        "{text}"
    );
}

/// A labels file may name its columns as SemEval does (ID, Tweet, Stance) or call the stance `label`; a file
/// without one names what it looked for.
#[test]
fn eval_reads_semeval_and_label_column_names() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("l.csv");
    std::fs::write(
        &f,
        "ID,Tweet,Label\n1,Let Xiaomi in,FAVOR\n2,Keep Xiaomi out,Against\n",
    )
    .unwrap();
    let m = eval_json(&f);
    assert_eq!(m["metrics"]["n"], 2);
    let g = dir.path().join("g.csv");
    std::fs::write(&g, "id,text,gold\n1,a,favor\n").unwrap();
    common::bin()
        .current_dir(common::root())
        .args(["eval", "--labels"])
        .arg(&g)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "has no stance column (named stance or label; its columns: id, text, gold)",
        ));
}

/// Labelled texts too few to learn from, or all of one class, are bad input data: exit code 3 (as a bad
/// record), the labels file named with what to do, and nothing written.
#[test]
fn learn_on_too_few_or_one_class_texts_is_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let (out, model) = (dir.path().join("t.toml"), dir.path().join("t.model"));
    let few = dir.path().join("few.csv");
    std::fs::write(
        &few,
        "id,text,stance\n1,Let them in,favor\n2,Keep them out,against\n3,Nice day,none\n",
    )
    .unwrap();
    let one = dir.path().join("one.csv");
    std::fs::write(
        &one,
        "id,text,stance\n1,Let them in,favor\n2,Bring them here,favor\n3,Welcome,favor\n",
    )
    .unwrap();
    for (labels, says) in [
        (&few, "give more labelled examples"),
        (
            &one,
            "at least two classes, one of them favor or against; the texts have 3 favor, 0 against, 0 none",
        ),
    ] {
        common::bin()
            .current_dir(common::root())
            .args(["learn", "--labels"])
            .arg(labels)
            .arg("--out")
            .arg(&out)
            .arg("--model")
            .arg(&model)
            .assert()
            .code(3)
            .stderr(
                predicates::str::contains(labels.display().to_string())
                    .and(predicates::str::contains(says)),
            );
        assert!(!out.exists() && !model.exists());
    }
}

/// `learn` reads several `--labels` files as one training set, and `--chars` chooses the character
/// n-grams (several are tried and the best on the validation texts kept); the model file records them.
#[test]
fn learn_reads_several_label_files_and_chars() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("m.model");
    learn(
        &["stance/dev.csv", "stance/heldout.csv"],
        &dir.path().join("m.toml"),
        &model,
    )
    .args(["--chars", "3-5,none"])
    .assert()
    .success()
    .stdout(predicates::str::contains("from 105 examples"));
    let text = std::fs::read_to_string(&model).unwrap();
    assert!(
        text.contains("dev.csv + ")
            && text.contains("heldout.csv (105 texts: 36 favor, 33 against, 36 none)"),
        "{text}"
    );
    let chars = text.lines().find(|l| l.starts_with("chars\t")).unwrap();
    assert!(chars == "chars\t3-5" || chars == "chars\tnone", "{chars}");
    assert_eq!(
        text.lines().any(|l| l.starts_with("c:")),
        chars == "chars\t3-5",
        "character features only with 3-5"
    );
    learn(
        &["stance/dev.csv"],
        &dir.path().join("n.toml"),
        &dir.path().join("n.model"),
    )
    .args(["--chars", "5-3"])
    .assert()
    .code(2)
    .stderr(predicates::str::contains(
        "invalid value '5-3' for '--chars",
    ));
}

/// A target file's `model` key names a model beside it, which then decides; `--model` replaces it,
/// `--no-model` drops it, and a model of another target or a missing file is refused, naming the file.
#[test]
fn a_target_file_names_its_model() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("t.toml");
    let toml = "id = \"t\"\ndescription = \"d\"\nmodel = \"t.model\"\n[[favor]]\ncue = \"love\"\n[[against]]\ncue = \"hate\"\n";
    std::fs::write(&target, toml).unwrap();
    // A model that calls everything against, whatever the cues say.
    let model = "format\tstancemeter-linear-1\ntarget\tt\nthreshold\t0.5\nlexicon\ttrue\nfeature\tfavor\tagainst\tnone\n(bias)\t0\t5\t0\n";
    let csv = dir.path().join("in.csv");
    std::fs::write(&csv, "id,text\n1,I love it\n").unwrap();
    let score = |args: &[&str]| {
        let mut cmd = common::bin();
        cmd.arg("score")
            .arg(&csv)
            .arg("--target")
            .arg(&target)
            .args(args);
        cmd.assert()
    };
    score(&[])
        .code(2)
        .stderr(predicates::str::contains("t.model"));
    std::fs::write(dir.path().join("t.model"), model).unwrap();
    let stance = |out: &[u8]| {
        let text = String::from_utf8(out.to_vec()).unwrap();
        let mut rows = csv::Reader::from_reader(text.as_bytes());
        let h = rows.headers().unwrap().clone();
        let k = h.iter().position(|c| c == "stance").unwrap();
        rows.records().next().unwrap().unwrap()[k].to_string()
    };
    assert_eq!(stance(&score(&[]).success().get_output().stdout), "against");
    assert_eq!(
        stance(&score(&["--no-model"]).success().get_output().stdout),
        "favor"
    );
    let other = dir.path().join("o.model");
    std::fs::write(&other, model.replace("(bias)\t0\t5\t0", "(bias)\t5\t0\t0")).unwrap();
    assert_eq!(
        stance(
            &score(&["--model", other.to_str().unwrap()])
                .success()
                .get_output()
                .stdout
        ),
        "favor"
    );
    score(&[
        "--model",
        other.to_str().unwrap(),
        "--model",
        other.to_str().unwrap(),
    ])
    .code(2)
    .stderr(predicates::str::contains(
        "already has a model from another --model",
    ));
    score(&["--model", other.to_str().unwrap(), "--no-model"]).code(2);
    std::fs::write(
        dir.path().join("t.model"),
        model.replace("target\tt", "target\tu"),
    )
    .unwrap();
    score(&[])
        .code(2)
        .stderr(
            predicates::str::contains("t.toml: model ").and(predicates::str::contains(
                "is a model for target \"u\", not \"t\"",
            )),
        );
}

/// A model records the digest of the cues it was trained on; when the target's cues are edited since,
/// `score`, `eval` and `run` warn (their description or threshold do not count).
#[test]
fn a_model_of_other_cues_is_warned_about() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    std::fs::copy(
        root.join("data/targets/xiaomi-us-entry.model"),
        dir.path().join("xiaomi-us-entry.model"),
    )
    .unwrap();
    let text = std::fs::read_to_string(root.join("data/targets/xiaomi-us-entry.toml")).unwrap();
    let target = dir.path().join("t.toml");
    let labels = common::fixture("stance/dev.csv");
    let eval = || {
        common::bin()
            .args(["eval", "--labels"])
            .arg(&labels)
            .arg("--target")
            .arg(&target)
            .assert()
            .success()
    };
    let edited = text.replacen("description = \"", "description = \"Edited: ", 1);
    std::fs::write(&target, &edited).unwrap();
    eval().stderr(predicates::str::contains("warning").not());
    std::fs::write(
        &target,
        format!("{edited}\n[[favor]]\ncue = \"zzz brand new cue\"\n"),
    )
    .unwrap();
    eval().stderr(predicates::str::contains(
        "warning: target xiaomi-us-entry: its cues have changed since its model",
    ));
    let out = dir.path().join("r");
    common::bin()
        .args(["run", "--target"])
        .arg(&target)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stderr(predicates::str::contains("its cues have changed"));
    common::bin()
        .args(["eval", "--no-model", "--labels"])
        .arg(&labels)
        .arg("--target")
        .arg(&target)
        .assert()
        .success()
        .stderr(predicates::str::contains("warning").not());
}

/// `eval --predictions` writes one row per labelled text, in their order, with the gold and predicted
/// labels, whether they agree (as many as the accuracy says), what drove the prediction and the text.
#[test]
fn eval_writes_every_prediction_with_its_drivers() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("l.csv");
    std::fs::write(
        &labels,
        "id,text,stance\n\
         a,\"Let them in, I'd buy one tomorrow.\",favor\n\
         b,Ban them before it's too late.,against\n\
         c,The phone has a 6 inch screen.,against\n",
    )
    .unwrap();
    let preds = dir.path().join("p.csv");
    let m = eval_json_args(
        &labels,
        None,
        &["--no-model", "--predictions", preds.to_str().unwrap()],
    );
    let mut r = csv::Reader::from_path(&preds).unwrap();
    assert_eq!(
        r.headers().unwrap(),
        vec![
            "id",
            "gold",
            "predicted",
            "correct",
            "stance_score",
            "stance_confidence",
            "stance_cues",
            "text"
        ]
    );
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, ["a", "b", "c"]);
    let cols = |r: &csv::StringRecord| [r[1].to_string(), r[2].to_string(), r[3].to_string()];
    assert_eq!(cols(&rows[0]), ["favor", "favor", "true"]);
    assert!(rows[0][6].contains("let them in"), "{:?}", rows[0]);
    assert_eq!(cols(&rows[2]), ["against", "none", "false"]);
    assert_eq!(&rows[2][7], "The phone has a 6 inch screen.");
    let right = rows.iter().filter(|r| &r[3] == "true").count();
    assert_eq!(
        m["metrics"]["accuracy"].as_f64(),
        Some(right as f64 / rows.len() as f64)
    );
}
