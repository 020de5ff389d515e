//! The offering catalog and the day rates: data, not code.
//!
//! The defaults are compiled in from `assets/catalog.json` and
//! `assets/rates.json`; a user may point saps at replacement files. Parsing is
//! pure: the caller reads the files and hands over their text.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const BUILTIN_CATALOG: &str = include_str!("../../assets/catalog.json");
pub const BUILTIN_RATES: &str = include_str!("../../assets/rates.json");

/// Competency level; `Gold` outranks `Silver`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Silver,
    Gold,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s.trim().to_ascii_lowercase().as_str() {
            "silver" => Some(Level::Silver),
            "gold" => Some(Level::Gold),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Silver => "silver",
            Level::Gold => "gold",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Offering {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Qualifier {
    pub competency: String,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Engagement {
    pub slug: String,
    pub offering: String,
    pub name: String,
    pub qualifying: Vec<Qualifier>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Rate {
    pub amount: u64,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalog {
    pub offerings: Vec<Offering>,
    pub engagements: Vec<Engagement>,
    pub deliverable_kinds: Vec<String>,
    /// Day rate per ISO country code.
    pub rates: BTreeMap<String, Rate>,
}

#[derive(Deserialize)]
struct CatalogFile {
    offerings: Vec<Offering>,
    engagements: Vec<Engagement>,
    deliverable_kinds: Vec<String>,
}

#[derive(Deserialize)]
struct RatesFile {
    rates: BTreeMap<String, Rate>,
}

impl Catalog {
    /// The compiled-in catalog and illustrative rates.
    pub fn builtin() -> Catalog {
        Catalog::from_json(BUILTIN_CATALOG, BUILTIN_RATES).expect("built-in catalog is valid")
    }

    /// Parses a catalog file and a rates file, checking that they agree.
    pub fn from_json(catalog: &str, rates: &str) -> Result<Catalog, String> {
        let c: CatalogFile = serde_json::from_str(catalog).map_err(|e| format!("catalog file: {e}"))?;
        let r: RatesFile = serde_json::from_str(rates).map_err(|e| format!("rates file: {e}"))?;
        let cat = Catalog {
            offerings: c.offerings,
            engagements: c.engagements,
            deliverable_kinds: c.deliverable_kinds,
            rates: r
                .rates
                .into_iter()
                .map(|(k, v)| (k.to_ascii_uppercase(), v))
                .collect(),
        };
        for e in &cat.engagements {
            if cat.offering(&e.offering).is_none() {
                return Err(format!(
                    "catalog file: engagement {} names unknown offering {}",
                    e.slug, e.offering
                ));
            }
            if e.qualifying.is_empty() {
                return Err(format!(
                    "catalog file: engagement {} has no qualifying competency",
                    e.slug
                ));
            }
        }
        Ok(cat)
    }

    /// Finds an offering by code or alias, ignoring case and surrounding space.
    pub fn offering(&self, code: &str) -> Option<&Offering> {
        let code = code.trim();
        self.offerings.iter().find(|o| {
            o.code.eq_ignore_ascii_case(code) || o.aliases.iter().any(|a| a.eq_ignore_ascii_case(code))
        })
    }

    pub fn engagement(&self, slug: &str) -> Option<&Engagement> {
        let slug = slug.trim();
        self.engagements
            .iter()
            .find(|e| e.slug.eq_ignore_ascii_case(slug))
    }

    pub fn engagements_of<'a>(&'a self, offering: &'a str) -> impl Iterator<Item = &'a Engagement> {
        self.engagements.iter().filter(move |e| e.offering == offering)
    }

    /// The catalog's spelling of a competency name, if it knows it.
    pub fn competency_name(&self, name: &str) -> Option<&str> {
        let name = name.trim();
        self.engagements
            .iter()
            .flat_map(|e| &e.qualifying)
            .map(|q| q.competency.as_str())
            .find(|c| c.eq_ignore_ascii_case(name))
    }

    /// Every competency the catalog names, each once, in catalog order.
    pub fn competency_names(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for q in self.engagements.iter().flat_map(|e| &e.qualifying) {
            if !out.iter().any(|c| c.eq_ignore_ascii_case(&q.competency)) {
                out.push(&q.competency);
            }
        }
        out
    }

    pub fn deliverable_kind(&self, kind: &str) -> Option<&str> {
        let kind = kind.trim();
        self.deliverable_kinds
            .iter()
            .map(String::as_str)
            .find(|k| k.eq_ignore_ascii_case(kind))
    }

    pub fn rate(&self, country: &str) -> Option<&Rate> {
        self.rates.get(&country.to_ascii_uppercase())
    }
}
