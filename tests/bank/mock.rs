//! Picking mock-interview questions from real banks: determinism, no repeats, spread, filters,
//! and a pinned selection so shared links keep their meaning.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;

use drillbook::bank::{self, Bank, Difficulty};
use drillbook::mock::{
    self, Categories, CategoryKey, Interview, Plan, SelectError, Settings, decode, encode,
};

/// A generated bank: `per_category` questions in each of three categories, difficulties cycling
/// easy, medium, hard.
fn generated(dir: &Path, per_category: u32) -> Bank {
    fs::write(
        dir.join("site.toml"),
        "title = \"g\"\ndescription = \"g\"\nbase_url = \"https://g.example\"\n",
    )
    .expect("write");
    let mut id = 1;
    for (order, slug) in ["alpha", "beta", "gamma"].iter().enumerate() {
        let folder = dir.join(slug);
        fs::create_dir_all(&folder).expect("mkdir");
        fs::write(
            folder.join("_category.toml"),
            format!("title = \"{slug}\"\norder = {order}\ndescription = \"d\"\n"),
        )
        .expect("write");
        for i in 0..per_category {
            let difficulty = ["easy", "medium", "hard"][(i % 3) as usize];
            fs::write(
                folder.join(format!("{id:03}.md")),
                format!("+++\nid = {id}\ntitle = \"Q{id}\"\ndifficulty = \"{difficulty}\"\nsummary = \"s\"\n+++\nA.\n\n## Key points\n- k\n"),
            )
            .expect("write");
            id += 1;
        }
    }
    bank::load(dir).expect("generated bank loads")
}

fn plan(seed: u32, categories: Categories, difficulty: Option<Difficulty>, count: u8) -> Plan {
    Plan::Draw {
        seed,
        settings: Settings {
            categories,
            difficulty,
            count,
            minutes: 3,
            blind: false,
        },
    }
}

fn ids(bank: &Bank, plan: &Plan) -> Vec<u32> {
    mock::select(bank, plan)
        .expect("selects")
        .iter()
        .map(|q| q.id)
        .collect()
}

#[test]
fn the_same_code_always_gives_the_same_questions() {
    let dir = tempfile::tempdir().expect("tmp");
    let bank = generated(dir.path(), 10);
    for seed in [0, 1, 42, u32::MAX] {
        let code = encode(&plan(seed, Categories::All, None, 8));
        let first: Vec<u32> = Interview::open(&bank, &code)
            .expect("opens")
            .questions
            .iter()
            .map(|q| q.id)
            .collect();
        let again: Vec<u32> = Interview::open(&bank, &code)
            .expect("opens")
            .questions
            .iter()
            .map(|q| q.id)
            .collect();
        assert_eq!(first, again);
        let unique: BTreeSet<u32> = first.iter().copied().collect();
        assert_eq!(unique.len(), 8, "no repeats: {first:?}");
    }
}

#[test]
fn different_seeds_give_different_interviews() {
    let dir = tempfile::tempdir().expect("tmp");
    let bank = generated(dir.path(), 10);
    let sets: BTreeSet<Vec<u32>> = (0..20)
        .map(|seed| ids(&bank, &plan(seed, Categories::All, None, 5)))
        .collect();
    assert!(
        sets.len() >= 18,
        "20 seeds gave only {} distinct interviews",
        sets.len()
    );
}

#[test]
fn questions_are_spread_across_the_chosen_categories() {
    let dir = tempfile::tempdir().expect("tmp");
    let bank = generated(dir.path(), 10);
    let category_of: HashMap<u32, String> = bank
        .questions()
        .map(|q| (q.id, q.category.clone()))
        .collect();
    for seed in 0..50 {
        for count in [3, 6, 7] {
            let picked = ids(&bank, &plan(seed, Categories::All, None, count));
            let mut per: HashMap<&str, usize> = HashMap::new();
            for id in &picked {
                *per.entry(category_of[id].as_str()).or_default() += 1;
            }
            let (min, max) = (
                per.values().min().copied().unwrap_or(0),
                per.values().max().copied().unwrap_or(0),
            );
            assert_eq!(
                per.len(),
                3,
                "seed {seed} count {count}: every category asked"
            );
            assert!(max - min <= 1, "seed {seed} count {count}: uneven {per:?}");
        }
    }
}

#[test]
fn filters_narrow_the_draw() {
    let dir = tempfile::tempdir().expect("tmp");
    let bank = generated(dir.path(), 10);
    let only_beta = Categories::Only([CategoryKey::of("beta")].into_iter().collect());
    for seed in 0..20 {
        for id in ids(&bank, &plan(seed, only_beta.clone(), None, 5)) {
            assert_eq!(bank.question(id).expect("exists").category, "beta");
        }
        for id in ids(
            &bank,
            &plan(seed, Categories::All, Some(Difficulty::Hard), 5),
        ) {
            assert_eq!(
                bank.question(id).expect("exists").difficulty,
                Difficulty::Hard
            );
        }
    }
}

#[test]
fn a_plan_the_bank_cannot_fill_says_why() {
    let dir = tempfile::tempdir().expect("tmp");
    let bank = generated(dir.path(), 2);
    assert_eq!(
        mock::select(&bank, &plan(1, Categories::All, Some(Difficulty::Easy), 4)).map(|q| q.len()),
        Err(SelectError::TooFew {
            wanted: 4,
            available: 3
        })
    );
    let unknown = Categories::Only([CategoryKey::of("no-such-category")].into_iter().collect());
    assert_eq!(
        mock::select(&bank, &plan(1, unknown, None, 1)).map(|q| q.len()),
        Err(SelectError::NoCategories)
    );
}

#[test]
fn a_fixed_code_picks_a_pinned_set() {
    // Shared links must give the same questions for years: if this changes, old links change.
    let dir = tempfile::tempdir().expect("tmp");
    let bank = generated(dir.path(), 10);
    let code = encode(&plan(2024, Categories::All, None, 6));
    assert!(matches!(decode(&code), Ok(Plan::Draw { seed: 2024, .. })));
    let picked: Vec<u32> = Interview::open(&bank, &code)
        .expect("opens")
        .questions
        .iter()
        .map(|q| q.id)
        .collect();
    assert_eq!(picked, PINNED);
}

const PINNED: [u32; 6] = [5, 6, 19, 12, 22, 23];

#[test]
fn recently_opened_interviews_give_the_same_questions_and_errors() {
    let dir = tempfile::tempdir().expect("tmp");
    let bank = generated(dir.path(), 10);
    let recent = mock::RecentInterviews::default();
    for seed in [0, 7, 42, u32::MAX] {
        let code = encode(&plan(seed, Categories::All, Some(Difficulty::Easy), 6));
        let fresh = Interview::open(&bank, &code).expect("opens");
        for _ in 0..3 {
            let kept = recent.open(&bank, &code).expect("opens");
            assert_eq!(kept.code, code);
            assert_eq!(kept.plan, fresh.plan);
            let kept: Vec<u32> = kept.questions.iter().map(|q| q.id).collect();
            let fresh: Vec<u32> = fresh.questions.iter().map(|q| q.id).collect();
            assert_eq!(kept, fresh, "seed {seed}");
        }
    }
    let too_many = encode(&plan(1, Categories::All, Some(Difficulty::Hard), 20));
    for _ in 0..2 {
        assert!(matches!(
            recent.open(&bank, &too_many),
            Err(mock::OpenError::Select(SelectError::TooFew { .. }))
        ));
    }
    assert!(recent.open(&bank, "not-a-code").is_err());
}

#[test]
fn a_blind_interview_asks_the_same_questions() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let bank = generated(dir.path(), 12);
    let seen = plan(77, Categories::All, None, 6);
    let mut blind = seen.clone();
    if let Plan::Draw { settings, .. } = &mut blind {
        settings.blind = true;
    }
    assert_ne!(encode(&seen), encode(&blind), "a code of its own");
    assert_eq!(ids(&bank, &seen), ids(&bank, &blind));
}
