//! Link-preview cards: what the card of the home page, a category, a question and a mock
//! interview reads, the text that describes it (`og:image:alt`), and the card drawn as a PNG.
//! A card's URL carries its fingerprint, so it changes exactly when the picture may and the
//! picture is cached for a year.

use crate::bank::{Category, Difficulty, Question};
use crate::card::{Badge, Card, Tone};
use crate::mock::{Categories, Interview, Plan};
use crate::web::cache::CachePolicy;

use super::{Content, Rendered, ViewError, plural};

/// `Content-Type` of a card.
pub const PNG: &str = "image/png";

/// A card and where a page links to it.
#[derive(Debug, Clone, Default)]
pub struct CardLink {
    /// The card's path, with its fingerprint.
    pub path: String,
    /// The picture described in words, for `og:image:alt`.
    pub alt: String,
}

/// What a card is of: the part of its URL before the fingerprint.
#[derive(Debug, Clone, Copy)]
pub enum CardOf<'a> {
    /// The home page's card, shown also by pages without one of their own.
    Home,
    /// A category's card.
    Category(&'a Category),
    /// A question's card.
    Question(&'a Question),
}

impl CardOf<'_> {
    /// What the card reads.
    pub fn card(self, content: &Content) -> Card {
        match self {
            CardOf::Home => home(content),
            CardOf::Category(category) => category_card(content, category),
            CardOf::Question(question) => question_card(content, question),
        }
    }

    /// The card's path: `/cards/home.{fingerprint}.png`, `/cards/categories/{slug}.….png`,
    /// `/cards/questions/{id}.….png`.
    pub fn path(self, card: &Card) -> String {
        let fingerprint = card.fingerprint();
        match self {
            CardOf::Home => format!("/cards/home.{fingerprint:016x}.png"),
            CardOf::Category(category) => {
                format!("/cards/categories/{}.{fingerprint:016x}.png", category.slug)
            }
            CardOf::Question(question) => {
                format!("/cards/questions/{}.{fingerprint:016x}.png", question.id)
            }
        }
    }

    /// Where a page links to the card, and its description.
    pub fn link(self, content: &Content) -> CardLink {
        let card = self.card(content);
        CardLink {
            path: self.path(&card),
            alt: alt(&card),
        }
    }
}

/// The card of a mock interview: how many questions, the minutes for each, the categories they
/// are drawn from (never the questions themselves), linked as `/mock/{code}/card.{fingerprint}.png`.
pub fn mock_link(content: &Content, interview: &Interview) -> CardLink {
    let card = mock_card(content, interview);
    CardLink {
        path: mock_path(&interview.code, card.fingerprint()),
        alt: alt(&card),
    }
}

/// The path of the mock interview `code`'s card whose fingerprint is `fingerprint`.
pub fn mock_path(code: &str, fingerprint: u64) -> String {
    format!("/mock/{code}/card.{fingerprint:016x}.png")
}

/// The card of a mock interview, as [`mock_link`] links to it.
pub fn mock_card(content: &Content, interview: &Interview) -> Card {
    let bank = &content.bank;
    let count = interview.questions.len();
    let minutes = interview.plan.minutes();
    let mut details = Vec::new();
    let mut difficulty = None;
    let categories: Vec<&str> = match &interview.plan {
        Plan::Draw { settings, .. } => {
            difficulty = settings.difficulty;
            match &settings.categories {
                Categories::All => Vec::new(),
                chosen => bank
                    .categories()
                    .iter()
                    .filter(|c| chosen.includes(&c.slug))
                    .map(|c| c.title.as_str())
                    .collect(),
            }
        }
        Plan::Fixed { .. } => bank
            .categories()
            .iter()
            .filter(|c| interview.questions.iter().any(|q| q.category == c.slug))
            .map(|c| c.title.as_str())
            .collect(),
    };
    if categories.is_empty() || categories.len() == bank.categories().len() {
        details.push("From every category".to_string());
    } else {
        details.push(format!("From {}", categories.join(", ")));
    }
    if let Some(difficulty) = difficulty {
        details.push(format!("{} questions only", difficulty.label()));
    }
    Card {
        site: content.layout.site_title.clone(),
        badge: Some(Badge {
            text: format!("{} min", usize::from(minutes) * count),
            tone: Tone::Plain,
        }),
        eyebrow: "Mock interview".to_string(),
        title: format!(
            "{count} question{}, {minutes} minute{} each",
            plural(count),
            plural(usize::from(minutes))
        ),
        details,
        footer: footer(content),
    }
}

fn home(content: &Content) -> Card {
    let bank = &content.bank;
    let categories = bank.categories().len();
    Card {
        site: content.layout.site_title.clone(),
        badge: Some(Badge {
            text: format!("{} questions", bank.len()),
            tone: Tone::Plain,
        }),
        eyebrow: format!(
            "{categories} categor{} · answers · timed mock interviews",
            if categories == 1 { "y" } else { "ies" }
        ),
        title: bank
            .site()
            .headline
            .clone()
            .unwrap_or_else(|| content.layout.site_description.clone()),
        details: match &bank.site().headline {
            Some(_) => vec![content.layout.site_description.clone()],
            None => Vec::new(),
        },
        footer: footer(content),
    }
}

fn category_card(content: &Content, category: &Category) -> Card {
    let count = category.question_ids.len();
    Card {
        site: content.layout.site_title.clone(),
        badge: Some(Badge {
            text: format!("{count} question{}", plural(count)),
            tone: Tone::Plain,
        }),
        eyebrow: "Category".to_string(),
        title: category.title.clone(),
        details: vec![category.description.clone()],
        footer: footer(content),
    }
}

fn question_card(content: &Content, question: &Question) -> Card {
    let category = content
        .bank
        .category(&question.category)
        .map_or(question.category.as_str(), |c| c.title.as_str());
    Card {
        site: content.layout.site_title.clone(),
        badge: Some(Badge {
            text: question.difficulty.label().to_string(),
            tone: tone(question.difficulty),
        }),
        eyebrow: category.to_string(),
        title: question.title.clone(),
        details: vec!["Answer, key points and follow-up questions".to_string()],
        footer: footer(content),
    }
}

fn tone(difficulty: Difficulty) -> Tone {
    match difficulty {
        Difficulty::Easy => Tone::Easy,
        Difficulty::Medium => Tone::Medium,
        Difficulty::Hard => Tone::Hard,
    }
}

/// The site's address without its scheme, as people type it.
fn footer(content: &Content) -> String {
    let base = &content.layout.base_url;
    base.split_once("://")
        .map_or(base.as_str(), |(_, rest)| rest)
        .to_string()
}

/// The card described in words: everything it reads, in reading order.
fn alt(card: &Card) -> String {
    let mut alt = format!("{}: {}. {}", card.site, card.eyebrow, card.title);
    if let Some(badge) = &card.badge {
        alt.push_str(&format!(" ({})", badge.text));
    }
    for detail in &card.details {
        alt.push_str(". ");
        alt.push_str(detail);
    }
    alt
}

/// A card drawn as a PNG, cached for a year (its URL changes with it).
pub fn render(card: &Card) -> Result<Rendered, ViewError> {
    let png = card.png().map_err(ViewError::Card)?;
    Ok(Rendered::file(PNG, CachePolicy::Immutable, png.into()))
}

/// Where the card a card's path was made for is now, when that path is one of an earlier
/// picture (the content changed since a page linked to it): `/cards/questions/7.{old}.png` gives
/// question 7's card path of today. `None` when the path names no card of this bank.
pub fn current_path(content: &Content, path: &str) -> Option<String> {
    let bank = &content.bank;
    let rest = path.strip_prefix("/cards/")?.strip_suffix(".png")?;
    let (name, _fingerprint) = rest.rsplit_once('.')?;
    let of = match name.split_once('/') {
        None if name == "home" => CardOf::Home,
        Some(("categories", slug)) => CardOf::Category(bank.category(slug)?),
        Some(("questions", id)) => CardOf::Question(bank.question(id.parse().ok()?)?),
        _ => return None,
    };
    Some(of.path(&of.card(content)))
}
