use super::*;
use crate::model::describe_cues as describe;
use crate::text::tokens;
use std::path::Path;

const T: &str = r#"
id = "t"
description = "test"
scope = ["xiaomi", "them"]
[[favor]]
cue = "let* them in"
weight = 2
[[favor]]
cue = "competition"
[[favor]]
cue = "trust*"
weight = 1.5
[[favor]]
cue = "great phone*"
scoped = true
[[against]]
cue = "keep * out"
weight = 2
[[against]]
cue = "privacy"
[[against]]
cue = "spy*"
weight = 1.5
[[against]]
cue = "no"
alone = true
"#;

fn target() -> Target {
    Target::parse(T, Path::new("t.toml")).unwrap()
}

fn run(text: &str) -> Stance {
    score(&target(), text, &tokens::tokenize(text))
}

#[test]
fn multi_word_cues_and_threshold() {
    let s = run("I say let them in!");
    assert_eq!((s.label, s.score), (Label::Favor, 2.0));
    assert_eq!(describe(&s.cues), "let them in +2.00");
    assert_eq!(run("Competition.").label, Label::Favor);
    assert_eq!(run("Nice weather.").label, Label::None);
}

#[test]
fn negation_flips_a_cue() {
    let s = run("There's no reason to keep them out.");
    assert_eq!(s.label, Label::Favor);
    assert!(s.cues[0].negated);
    assert_eq!(describe(&s.cues), "keep them out +2.00 [negated]");
    assert_eq!(run("I'd never trust them.").label, Label::Against);
    // A negator in another clause does not reach the cue.
    assert_eq!(run("No, I trust them.").label, Label::Favor);
}

#[test]
fn clause_negators_reach_the_whole_clause() {
    let s = run("I don't think we should ever let them in.");
    assert_eq!(s.label, Label::Against);
    // The "not" of "do not think" is not counted a second time by the window rule.
    let s = run("I don't think letting them in is wise.");
    assert_eq!(
        (s.label, s.cues[0].negated),
        (Label::Against, true),
        "{s:?}"
    );
}

#[test]
fn non_negatable_cues_keep_their_direction() {
    let t = Target::parse(
        "id = \"t\"\ndescription = \"d\"\n[[favor]]\ncue = \"fearmongering\"\nweight = 2\nnegatable = false\n",
        Path::new("t.toml"),
    )
    .unwrap();
    let text = "Stop the fearmongering.";
    let s = score(&t, text, &tokens::tokenize(text));
    assert_eq!((s.label, s.cues[0].negated), (Label::Favor, false));
}

#[test]
fn contrast_weights_the_side_after_but() {
    let s = run("Competition is good, but not at the cost of our privacy.");
    assert_eq!((s.label, s.score), (Label::Against, 0.5 - 1.5));
    assert_eq!(
        describe(&s.cues),
        "competition +0.50 [before contrast]; privacy -1.50 [after contrast]"
    );
}

#[test]
fn wildcards_match_stems() {
    let s = run("Spyware and spying, that's all.");
    assert_eq!(s.cues.len(), 2);
    assert_eq!(s.score, -3.0);
}

#[test]
fn scoped_cues_need_the_target_in_the_sentence() {
    assert!(run("Great phones all round.").cues.is_empty());
    assert_eq!(run("Xiaomi makes great phones.").cues.len(), 1);
}

#[test]
fn alone_cues_need_the_whole_sentence() {
    assert_eq!(run("They want our market? No.").label, Label::Against);
    assert!(run("No way to know.").cues.is_empty());
}

#[test]
fn confidence_grows_with_agreeing_evidence() {
    let one = run("Competition.").confidence;
    let two = run("Competition. Let them in.").confidence;
    let mixed = run("Competition. Privacy.").confidence;
    assert!(
        two > one && one > mixed && mixed == 0.0,
        "{one} {two} {mixed}"
    );
}

#[test]
fn several_targets_score_independently() {
    let other = Target::parse(
        "id = \"o\"\ndescription = \"d\"\n[[against]]\ncue = \"competition\"\n",
        Path::new("o.toml"),
    )
    .unwrap();
    let text = "Competition!";
    let toks = tokens::tokenize(text);
    assert_eq!(score(&target(), text, &toks).label, Label::Favor);
    assert_eq!(score(&other, text, &toks).label, Label::Against);
}

#[test]
fn a_dismissed_argument_counts_for_the_other_side() {
    let s = run("The spying argument is theatre.");
    assert_eq!(s.label, Label::Favor);
    assert_eq!(describe(&s.cues), "spying +1.50 [dismissed]");
    // "Letting them in" called a joke is against; a dismissal in another clause, or negated, is not one.
    assert_eq!(run("Letting them in is a joke.").label, Label::Against);
    assert_eq!(
        run("They spy, and the hype is overblown.").label,
        Label::Against
    );
    assert_eq!(run("The spying is no myth.").label, Label::Against);
    // The idiom "X my foot" dismisses X.
    assert_eq!(run("Privacy my foot.").label, Label::Favor);
    // Negation and dismissal together cancel: "not spying" dismissed is the spying argument again.
    let s = run("Saying they do not spy is nonsense.");
    assert!(s.cues[0].negated && s.cues[0].dismissed, "{:?}", s.cues);
    assert_eq!(s.label, Label::Against);
    // A target can set its own list; an empty one turns the rule off.
    let t = Target::parse(&format!("dismissals = []\n{T}"), Path::new("t.toml")).unwrap();
    let text = "The spying argument is theatre.";
    assert_eq!(
        score(&t, text, &tokens::tokenize(text)).label,
        Label::Against
    );
    // A cue that is part of a dismissal ("excuse" in "an excuse") is not dismissed by it; a dismissal
    // clear of the cue still is.
    let t = Target::parse(
        &format!("{T}[[against]]\ncue = \"excuse\"\n"),
        Path::new("t.toml"),
    )
    .unwrap();
    let text = "Selling phones here is just an excuse to grab our data.";
    let s = score(&t, text, &tokens::tokenize(text));
    assert_eq!(describe(&s.cues), "excuse -1.00");
    assert_eq!(s.label, Label::Against);
    let text = "Calling it an excuse is nonsense.";
    let s = score(&t, text, &tokens::tokenize(text));
    assert_eq!(describe(&s.cues), "excuse +1.00 [dismissed]");
}

/// A target with the #12 frames: intent and imperative cues and event composition.
const FRAMES: &str = r#"
id = "f"
description = "frames"
scope = ["xiaomi", "they", "them"]
[event]
entry = ["come*", "coming", "let* * in", "here"]
[[favor]]
cue = "buy*"
weight = 1.5
frame = "intent"
[[favor]]
cue = "come"
weight = 1.5
frame = "imperative"
[[against]]
cue = "block"
weight = 2
frame = "imperative"
[[favor]]
cue = "letting them in"
weight = 2
[[against]]
cue = "ban"
weight = 2
[[against]]
cue = "spy*"
"#;

fn frames(text: &str) -> Stance {
    let t = Target::parse(FRAMES, Path::new("f.toml")).unwrap();
    score(&t, text, &tokens::tokenize(text))
}

#[test]
fn intent_cues_need_a_first_person_subject() {
    assert_eq!(frames("I'm buying on day one").label, Label::Favor);
    assert_eq!(frames("We would definitely buy one").label, Label::Favor);
    // Negated intent is refusal; a third party buying is no intent of the writer.
    assert_eq!(frames("I wouldn't buy one").label, Label::Against);
    assert_eq!(frames("Buyers in China love it").label, Label::None);
    assert_eq!(frames("My cousin buys them").label, Label::None);
}

#[test]
fn imperative_cues_open_a_sentence_or_follow_an_obligation() {
    assert_eq!(frames("Block it.").label, Label::Against);
    assert_eq!(frames("Please come over.").label, Label::Favor);
    assert_eq!(frames("Congress should block them").label, Label::Against);
    // Not in the frame: a description, and a gerund is not an imperative ("block" is exact).
    assert_eq!(frames("The carriers block them").label, Label::None);
    assert_eq!(frames("Blocking them would hurt").label, Label::None);
    // A question about the order does not give it.
    assert_eq!(frames("Block it? Why?").label, Label::None);
}

#[test]
fn event_composition_takes_what_is_said_about_the_event() {
    let s = frames("Xiaomi coming here is the best news");
    assert_eq!(s.label, Label::Favor, "{s:?}");
    assert_eq!(describe(&s.cues), "coming here is the best +1.50");
    // The event's own favor cue gives way to the evaluation: a mistake, intensified by "huge".
    let s = frames("Letting them in would be a huge mistake");
    assert_eq!(s.label, Label::Against, "{s:?}");
    assert_eq!(
        describe(&s.cues),
        "letting them in would be a huge mistake -1.50"
    );
    // A negated evaluation, and a clause negator, turn it around.
    assert_eq!(
        frames("Them coming here is not bad at all").label,
        Label::Favor
    );
    assert_eq!(
        frames("I don't think letting them in is a good idea").label,
        Label::Against
    );
    // A negated event turns its evaluation around; the cue of the evaluation ("hope") gives way.
    let s = frames("I hope they never come here");
    assert_eq!(
        (s.label, s.cues.len(), s.cues[0].negated),
        (Label::Against, 1, true),
        "{s:?}"
    );
    assert_eq!(
        frames("Them not coming here is a shame").label,
        Label::Favor
    );
    // Inside quotation marks the event is someone else's view.
    assert_eq!(
        frames("My boss said \"them coming here is the best news\". Lol.").label,
        Label::None
    );
    // Without a mention of the target, or without an evaluation, nothing is composed.
    assert_eq!(
        frames("Winter is coming, the best season").label,
        Label::None
    );
    assert_eq!(frames("Xiaomi is coming in May").label, Label::None);
}

#[test]
fn an_event_is_evaluated_on_its_side_of_a_contrast() {
    // What is conceded before "but" says nothing about the event after it...
    let s = frames("Not a fan of their ads but Xiaomi is coming here");
    assert_eq!((s.label, s.cues.len()), (Label::None, 0), "{s:?}");
    // ...and what is said after it, nothing about the event before it ("awful" is left out; the
    // event before "but" is scaled by before_contrast).
    let s = frames("Xiaomi coming here is the best news but prices will be awful");
    assert_eq!(
        (s.cues.len(), s.cues[0].matched.as_str(), s.cues[0].weight),
        (1, "coming here is the best", 0.75),
        "{s:?}"
    );
    // The event's own side still counts, scaled as the side after "but" is.
    let s = frames("I like their ads but Xiaomi coming here would be a mistake");
    assert_eq!(s.label, Label::Against, "{s:?}");
}

#[test]
fn negation_reaches_only_what_it_governs() {
    // "not" governs "for companies", not the relative clause's "spy".
    let s = frames("Not for companies that spy on their users.");
    assert_eq!((s.label, s.cues[0].negated), (Label::Against, false));
    let s = frames("They do not spy.");
    assert_eq!((s.label, s.cues[0].negated), (Label::Favor, true));
}

#[test]
fn a_negation_idiom_negates_nothing() {
    // "not" of "not gonna lie" does not govern the cue after it; a plain "not" still does.
    let with = |head: &str, text: &str| {
        let t = Target::parse(
            &format!("negation_window = 4\n{head}{T}"),
            Path::new("t.toml"),
        )
        .unwrap();
        score(&t, text, &tokens::tokenize(text))
    };
    let s = with("", "Not gonna lie I trust them.");
    assert_eq!((s.label, s.cues[0].negated), (Label::Favor, false));
    let s = with("", "no doubt i'd trust them");
    assert_eq!((s.label, s.cues[0].negated), (Label::Favor, false));
    assert_eq!(with("", "I would not trust them.").label, Label::Against);
    // A target can give its own idioms, or none.
    let s = with("negation_idioms = []\n", "Not gonna lie I trust them.");
    assert_eq!((s.label, s.cues[0].negated), (Label::Against, true));
}

#[test]
fn reporting_does_not_fire_opinion_cues() {
    let s = frames("ZTE sales collapsed after the component ban.");
    assert_eq!(s.label, Label::None);
    assert_eq!(describe(&s.cues), "ban +0.00 [reported]");
    assert!(s.cues[0].reported);
    // The same cue as the writer's own wish counts.
    assert_eq!(frames("Ban them all.").label, Label::Against);
    // A target can turn reporting off.
    let t = Target::parse(&format!("reporting = []\n{FRAMES}"), Path::new("f.toml")).unwrap();
    let text = "ZTE sales collapsed after the component ban.";
    assert_eq!(
        score(&t, text, &tokens::tokenize(text)).label,
        Label::Against
    );
}

#[test]
fn frame_settings_are_validated() {
    let bad = |extra: &str| {
        Target::parse(&format!("{extra}\n{FRAMES}"), Path::new("f.toml"))
            .unwrap_err()
            .to_string()
    };
    assert!(bad("intent_gap = 50").contains("intent_gap 50"));
    assert!(bad("intent_subjects = [\"i me\"]").contains("intent_subjects \"i me\""));
    let e = Target::parse(
        &FRAMES.replace("frame = \"intent\"", "frame = \"wish\""),
        Path::new("f.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("f.toml") && e.contains("wish"), "{e}");
    let e = Target::parse(
        &FRAMES.replace(
            "entry = [\"come*\", \"coming\", \"let* * in\", \"here\"]",
            "entry = []",
        ),
        Path::new("f.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("event.entry"), "{e}");
}
