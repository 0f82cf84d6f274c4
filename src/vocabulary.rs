//! The words of the incident schema: what kind an incident is, what became of its permit, what
//! kind a sanction is. Each is an enum; its word (`rally`, `not-requested`, `fine`) is what
//! tables, `report.toml`, templates and `figures.json` write.

use std::fmt;

/// A closed list of words a cell may hold, each one value of `Self`.
pub trait Vocabulary: Copy + Eq + 'static {
    /// Every value, in the order tables and figures list them.
    const ALL: &'static [Self];

    /// The word that stands for it.
    fn word(self) -> &'static str;

    /// The value a word stands for, if it is one of ours.
    fn from_word(word: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.word() == word)
    }

    /// Its position in [`Vocabulary::ALL`].
    fn index(self) -> usize {
        Self::ALL.iter().position(|v| *v == self).unwrap_or(0)
    }

    /// Every word, in order.
    fn words() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.word()).collect()
    }
}

/// Defines an enum of the schema with its words, `Display` and `Serialize` as the word.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $word:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl Vocabulary for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)+];

            fn word(self) -> &'static str {
                match self {
                    $($name::$variant => $word,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.word())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.word())
            }
        }
    };
}

vocabulary! {
    /// What kind of event an incident is.
    IncidentKind {
        /// A rally or demonstration.
        Rally = "rally",
        /// A picket, often by one person.
        Picket = "picket",
        /// A march.
        March = "march",
        /// A memorial gathering.
        Memorial = "memorial",
        /// A raid or search.
        Raid = "raid",
        /// A court hearing.
        Court = "court",
        /// Surveillance or intimidation.
        Surveillance = "surveillance",
        /// Anything else.
        Other = "other",
    }
}

vocabulary! {
    /// What became of an incident's permit.
    Permit {
        /// Refused by the authorities.
        Denied = "denied",
        /// Granted as asked.
        Granted = "granted",
        /// Granted with changes (another place, time or size).
        Partly = "partly",
        /// Not asked for.
        NotRequested = "not-requested",
        /// Not known.
        Unknown = "unknown",
    }
}

vocabulary! {
    /// What kind of sanction a person received.
    SanctionKind {
        /// An administrative fine.
        Fine = "fine",
        /// An administrative arrest (days in detention).
        Arrest = "arrest",
        /// A warning.
        Warning = "warning",
        /// A criminal case.
        Criminal = "criminal",
        /// Anything else.
        Other = "other",
    }
}

vocabulary! {
    /// A figure `report.toml` may state for the period (`[stated]`), from wider monitoring than
    /// the rows document.
    StatedKey {
        /// Incidents in all.
        Incidents = "incidents",
        /// Participants.
        Participants = "participants",
        /// Police deployed.
        Police = "police",
        /// People detained.
        Detained = "detained",
        /// People fined.
        Fined = "fined",
        /// The lowest and highest fine.
        FineAmounts = "fine-amounts",
        /// People put under administrative arrest.
        Arrested = "arrested",
        /// The shortest and longest arrest, in days.
        ArrestDays = "arrest-days",
        /// People warned.
        Warned = "warned",
        /// People injured.
        Injured = "injured",
        /// Pickets.
        Pickets = "pickets",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back_to_their_values() {
        for kind in IncidentKind::ALL {
            assert_eq!(IncidentKind::from_word(kind.word()), Some(*kind));
        }
        assert_eq!(Permit::from_word("not-requested"), Some(Permit::NotRequested));
        assert_eq!(SanctionKind::Arrest.index(), 1);
        assert_eq!(serde_json::to_string(&Permit::NotRequested).unwrap(), "\"not-requested\"");
        assert_eq!(IncidentKind::from_word("Rally"), None, "only our exact words");
    }
}
