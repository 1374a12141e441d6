"""Namespaces: numbers, canonical English names, localised names and aliases.

Owns the table MediaWiki keeps in ``NamespaceInfo`` and ``MessagesXx.php``: which number a
prefix such as ``Modèle:`` or ``template:`` means, which name a namespace is shown under in the
content language, which namespaces are talk namespaces, capitalise their first letter or allow
subpages. Pure: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field

MEDIA, SPECIAL = -2, -1
MAIN, TALK, USER, USER_TALK, PROJECT, PROJECT_TALK = 0, 1, 2, 3, 4, 5
FILE, FILE_TALK, MEDIAWIKI, MEDIAWIKI_TALK = 6, 7, 8, 9
TEMPLATE, TEMPLATE_TALK, HELP, HELP_TALK, CATEGORY, CATEGORY_TALK = 10, 11, 12, 13, 14, 15

#: MediaWiki's canonical names (``NamespaceInfo::$canonicalNames``); 4 and 5 use "Project".
CANONICAL: dict[int, str] = {
    MEDIA: "Media", SPECIAL: "Special", MAIN: "", TALK: "Talk", USER: "User",
    USER_TALK: "User talk", PROJECT: "Project", PROJECT_TALK: "Project talk", FILE: "File",
    FILE_TALK: "File talk", MEDIAWIKI: "MediaWiki", MEDIAWIKI_TALK: "MediaWiki talk",
    TEMPLATE: "Template", TEMPLATE_TALK: "Template talk", HELP: "Help", HELP_TALK: "Help talk",
    CATEGORY: "Category", CATEGORY_TALK: "Category talk",
}

#: Localised names from MessagesEn.php / MessagesFr.php. ``$1`` stands for the meta namespace.
LOCAL_NAMES: dict[str, dict[int, str]] = {
    "en": {**CANONICAL, PROJECT: "$1", PROJECT_TALK: "$1 talk"},
    "fr": {
        MEDIA: "Média", SPECIAL: "Spécial", MAIN: "", TALK: "Discussion", USER: "Utilisateur",
        USER_TALK: "Discussion utilisateur", PROJECT: "$1", PROJECT_TALK: "Discussion $1",
        FILE: "Fichier", FILE_TALK: "Discussion fichier", MEDIAWIKI: "MediaWiki",
        MEDIAWIKI_TALK: "Discussion MediaWiki", TEMPLATE: "Modèle",
        TEMPLATE_TALK: "Discussion modèle", HELP: "Aide", HELP_TALK: "Discussion aide",
        CATEGORY: "Catégorie", CATEGORY_TALK: "Discussion catégorie",
    },
    "de": {
        MEDIA: "Medium", SPECIAL: "Spezial", MAIN: "", TALK: "Diskussion", USER: "Benutzer",
        USER_TALK: "Benutzer Diskussion", PROJECT: "$1", PROJECT_TALK: "$1 Diskussion",
        FILE: "Datei", FILE_TALK: "Datei Diskussion", MEDIAWIKI: "MediaWiki",
        MEDIAWIKI_TALK: "MediaWiki Diskussion", TEMPLATE: "Vorlage",
        TEMPLATE_TALK: "Vorlage Diskussion", HELP: "Hilfe", HELP_TALK: "Hilfe Diskussion",
        CATEGORY: "Kategorie", CATEGORY_TALK: "Kategorie Diskussion",
    },
}

#: Aliases accepted in every language (``$wgNamespaceAliases`` defaults) and per language.
ALIASES: dict[str, dict[str, int]] = {
    "*": {"Image": FILE, "Image talk": FILE_TALK, "Project": PROJECT, "Project talk": PROJECT_TALK},
    "en": {},
    "fr": {
        "Utilisatrice": USER, "Discussion utilisatrice": USER_TALK,
        "Discuter": TALK, "Discussion Utilisateur": USER_TALK,
        "Discussion Image": FILE_TALK, "Discussion Fichier": FILE_TALK,
        "Discussion Modèle": TEMPLATE_TALK, "Discussion Aide": HELP_TALK,
        "Discussion Catégorie": CATEGORY_TALK, "Discussion Projet": PROJECT_TALK,
    },
}


def _key(name: str) -> str:
    """Case-insensitive lookup key: spaces and underscores equal, lower-cased."""
    return name.replace("_", " ").strip().lower()


@dataclass(eq=False)
class Namespaces:
    """The namespace table of one wiki.

    :param language: content language code (``fr`` or ``en``; others fall back to English).
    :param meta: the project namespace's name (``$wgMetaNamespace``).
    :param extra: extra namespaces ``{number: name}`` (``$wgExtraNamespaces``).
    :param subpages: namespaces where ``/`` makes subpages (``$wgNamespacesWithSubpages``).
    """

    language: str = "fr"
    meta: str = "Projet"
    extra: dict[int, str] = field(default_factory=dict)
    subpages: frozenset[int] | None = None
    capital_links: bool = True
    _names: dict[int, str] = field(init=False, repr=False)
    _lookup: dict[str, int] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        local = LOCAL_NAMES.get(self.language, LOCAL_NAMES["en"])
        meta = self.meta.replace("_", " ")
        names = {n: v.replace("$1", meta) for n, v in local.items()}
        names.update({n: v.replace("_", " ") for n, v in self.extra.items()})
        self._names = names
        lookup: dict[str, int] = {}
        for table in (ALIASES["*"], ALIASES.get(self.language, {})):
            for name, number in table.items():
                lookup[_key(name)] = number
        for number, name in CANONICAL.items():
            if name:
                lookup[_key(name)] = number
        for number, name in names.items():
            if name:
                lookup[_key(name)] = number
        self._lookup = lookup
        if self.subpages is None:
            self.subpages = frozenset(
                n for n in names if n > 0 and (n % 2 == 1 or n in (USER, PROJECT, HELP))
            )

    def lookup(self, name: str) -> int | None:
        """Number of the namespace called ``name`` (any case, canonical, local or alias)."""
        return self._lookup.get(_key(name))

    def name(self, number: int) -> str:
        """Localised name shown for ``number`` (spaces, no colon); ``""`` for the main one."""
        return self._names.get(number, CANONICAL.get(number, ""))

    def canonical(self, number: int) -> str:
        """Canonical English name of ``number`` (extra namespaces use their given name)."""
        return CANONICAL.get(number, self.extra.get(number, "").replace("_", " "))

    def numbers(self) -> list[int]:
        """Every namespace number, in order."""
        return sorted(self._names)

    def exists(self, number: int) -> bool:
        return number in self._names

    @staticmethod
    def is_talk(number: int) -> bool:
        return number > 0 and number % 2 == 1

    @staticmethod
    def talk(number: int) -> int:
        """The talk namespace paired with ``number`` (virtual namespaces have none)."""
        return number if number < 0 or number % 2 == 1 else number + 1

    @staticmethod
    def subject(number: int) -> int:
        return number - 1 if number > 0 and number % 2 == 1 else number

    def is_capitalized(self, number: int) -> bool:
        return self.capital_links

    def has_subpages(self, number: int) -> bool:
        assert self.subpages is not None
        return number in self.subpages

    def aliases(self, number: int) -> list[str]:
        """Every accepted name of ``number`` (for siteinfo's namespacealiases)."""
        shown = {self.name(number), self.canonical(number)}
        found = []
        for table in (ALIASES["*"], ALIASES.get(self.language, {})):
            for name, n in table.items():
                if n == number and name not in shown and name not in found:
                    found.append(name)
        return found
