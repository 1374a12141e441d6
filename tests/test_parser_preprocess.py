"""Tests of the preprocessor (wikiengine.parser.ppnodes/frame/preprocess/magicwords/
corefunctions): the tree MediaWiki's Preprocessor_Hash builds, template expansion, magic
words in English and French, limits, and bad input that must end quickly."""
from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wikiengine.namespaces import Namespaces
from wikiengine.parser import DictPageSource, ParserHooks, SiteConfig, make_context
from wikiengine.parser.ppnodes import build_tree, preprocess_to_tree
from wikiengine.parser.preprocess import expand, redirect_target
from wikiengine.parser.site import Interwiki

DATA = Path(__file__).parent / "data" / "preprocess"
PAGES = json.loads((DATA / "pages.json").read_text(encoding="utf-8"))
NOW = dt.datetime(2024, 3, 5, 14, 7, 9, tzinfo=dt.timezone.utc)


def _cases(name: str) -> list[dict]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def site(language: str = "en", **kw) -> SiteConfig:
    meta = "Projet" if language == "fr" else "Project"
    wp = Interwiki("wikipedia", "https://en.wikipedia.org/wiki/$1")
    return SiteConfig(language=language, namespaces=Namespaces(language=language, meta=meta),
                      now=NOW, interwiki={"wikipedia": wp}, **kw)


def context(title: str = "Parser test", language: str = "en", pages: dict | None = None,
            hooks: ParserHooks | None = None, **kw):
    s = site(language, **kw)
    source = DictPageSource(PAGES if pages is None else pages, namespaces=s.namespaces)
    return make_context(title, source, site=s, hooks=hooks)


def run(text: str, **kw) -> tuple[str, object]:
    ctx = context(**kw)
    out = expand(text, ctx)
    return ctx.strip.unstrip_both(out), ctx


@pytest.mark.parametrize("case", _cases("expand_cases.jsonl"), ids=lambda c: c["name"])
def test_expand_en(case: dict) -> None:
    out, ctx = run(case["text"], title=case.get("title", "Parser test"))
    assert out == case["expected"]
    for key, value in case.get("properties", {}).items():
        assert ctx.output.properties[key] == value


@pytest.mark.parametrize("case", _cases("expand_cases_fr.jsonl"), ids=lambda c: c["name"])
def test_expand_fr(case: dict) -> None:
    out, ctx = run(case["text"], title=case.get("title", "Accueil"), language="fr",
                   timezone=case.get("timezone", "UTC"))
    assert out == case["expected"]
    for key, value in case.get("properties", {}).items():
        assert ctx.output.properties[key] == value


# -- the tree ------------------------------------------------------------------------------
def test_tree_template_parts_and_equals() -> None:
    tree = build_tree("{{a|b|c=d|e=f=g}}")
    (node,) = tree
    kind, title, parts, line_start = node
    assert (kind, title, line_start) == ("template", ["a"], False)
    assert build_tree("x\n{{a}}")[1][3] is True
    assert parts[0] == ("part", None, ["b"], 1)
    assert parts[1] == ("part", ["c"], ["d"], None)
    assert parts[2] == ("part", ["e"], ["f=g"], None)
    assert "equals" not in repr(tree)


def test_tree_rightmost_brace_wins() -> None:
    # {{{{{x}}}}}: the innermost three braces close first, an argument named by x inside a
    # template; {{{{x}}}} is an argument between literal braces
    (node,) = build_tree("{{{{{x}}}}}")
    assert node[0] == "template"
    assert node[1][0][0] == "tplarg"
    tree = build_tree("{{{{x}}}}")
    assert tree[0] == "{" and tree[1][0] == "tplarg" and tree[2] == "}"


def test_tree_headings_only_at_top_level() -> None:
    tree = build_tree("== a ==\n{{x|\n== b ==\n}}\n=c=")
    heads = [n for n in tree if type(n) is tuple and n[0] == "h"]
    assert [(h[1], h[2]) for h in heads] == [(2, 1), (1, 3)]
    template = [n for n in tree if type(n) is tuple and n[0] == "template"][0]
    value = template[2][0][2]
    assert any(type(n) is tuple and n[0] == "possible-h" for n in value)


def test_tree_extension_tags_and_ignore() -> None:
    tree = build_tree("<nowiki>{{x}}</nowiki><pre a=1>b</pre><foo>", False, ("foo",))
    assert tree[0] == ("ext", "nowiki", "", "{{x}}", "</nowiki>")
    assert tree[1] == ("ext", "pre", " a=1", "b", "</pre>")
    assert tree[2] == "<foo>"  # no closing tag: literal
    inc = build_tree("a<includeonly>b</includeonly>", for_include=False)
    assert inc[1] == ("ignore", "<includeonly>b</includeonly>")


def test_tree_cache_returns_same_tree() -> None:
    text = "{{cache test|" + "x" * 50 + "}}"
    assert preprocess_to_tree(text, True) is preprocess_to_tree(text, True)
    assert preprocess_to_tree(text, True) is not preprocess_to_tree(text, False)


# -- limits and loops ------------------------------------------------------------------------
def test_template_loop_message_and_category() -> None:
    out, ctx = run("{{LoopA}}")
    assert out == 'AB<span class="error">Template loop detected: [[Template:LoopA]]</span>'
    assert "Pages_with_template_loops" in ctx.output.categories
    assert any("template loop" in w for w in ctx.output.warnings)


def test_template_depth_limit() -> None:
    pages = {f"Template:D{i}": f"a{{{{D{i + 1}}}}}" for i in range(60)}
    out, _ctx = run("{{D0}}", pages=pages)
    assert out == "a" * 40 + '<span class="error">Template recursion depth limit exceeded (40)</span>'


def test_post_expand_include_size() -> None:
    pages = {"Template:Big": "x" * 600}
    ctx = context(pages=pages)
    ctx.options.max_include_size = 1000
    out = ctx.strip.unstrip_both(expand("{{Big}}{{Big}}", ctx))
    assert out.startswith("x" * 600 + "[[:Template:Big]]")
    assert "<!-- WARNING: template omitted, post-expand include size too large -->" in out
    assert "Pages_where_template_include_size_is_exceeded" in ctx.output.categories
    assert ctx.output.limit_report["limitreport-postexpandincludesize"] == [600, 1000]


def test_expensive_function_limit() -> None:
    ctx = context()
    ctx.site.limits.expensive_function_limit = 2
    expand("{{PAGESINCATEGORY:A}}{{PAGESINCATEGORY:B}}{{PAGESINCATEGORY:C}}", ctx)
    assert "Pages_with_too_many_expensive_parser_function_calls" in ctx.output.categories


def test_templates_recorded_with_redirects() -> None:
    _out, ctx = run("{{Redir}}{{NoSuch}}")
    assert {"Template:Redir", "Template:Foo", "Template:NoSuch"} <= set(ctx.output.templates)


# -- hooks, strip markers, headings -------------------------------------------------------------
def test_tag_hook_and_function_hook() -> None:
    seen = {}

    def tag(content, attrs, ctx, frame):
        seen["tag"] = (content, attrs, frame.get_argument("1"))
        return "<b>TAG</b>"

    def fn(ctx, frame, args):
        seen["fn"] = (args[0], [a.text() for a in args[1:]], args[2].name(), args[2].value())
        return "FN"

    hooks = ParserHooks(tags={"mytag": tag}, functions={"#myfn": fn})
    pages = {"Template:T": "<mytag k=\"v\">{{{1}}}</mytag>"}
    out, ctx = run("{{T|arg}} {{#myfn: a | b | c = {{Foo}} }}", pages={**PAGES, **pages},
                   hooks=hooks)
    assert out == "<b>TAG</b> FN"
    assert seen["tag"] == ("{{{1}}}", {"k": "v"}, "arg")
    assert seen["fn"] == ("a", ["b", "c = FOO"], "c", "FOO")


def test_nowiki_is_a_nowiki_strip_marker() -> None:
    ctx = context()
    out = expand("<nowiki>[[a]] <b> -{x}-</nowiki>", ctx)
    assert "[[" not in out and "\x7f" in out
    assert ctx.strip.unstrip_nowiki(out) == "[[a]] &lt;b&gt; -&#123;x&#125;-"


def test_heading_markers() -> None:
    ctx = context()
    out = expand("== A ==\n{{Heading}}", ctx)
    assert ctx.headings == [("Parser test", 1), ("Template:Heading", 1)]
    assert ctx.strip.unstrip_both(out) == "== A ==\n== From template ==\ntext"
    assert out.count("\x7f'\"`UNIQ--h-") == 2


def test_redirect_target_fr() -> None:
    ctx = context(language="fr")
    target = redirect_target("#REDIRECTION [[Modèle:Foo]]", ctx)
    assert target is not None and target.prefixed_text == "Modèle:Foo"
    assert redirect_target("#REDIRECT [[Foo|bar]]", ctx).prefixed_text == "Foo"
    assert redirect_target("text #REDIRECT [[Foo]]", ctx) is None


def test_french_signature_free_text_is_not_touched() -> None:
    out, _ctx = run("~~~~", language="fr", title="Accueil")
    assert out == "~~~~"


# -- bad input ---------------------------------------------------------------------------------
def _timed(text: str, pages: dict | None = None, limit: float = 10.0) -> str:
    ctx = context(pages=pages if pages is not None else PAGES)
    start = time.perf_counter()
    out = expand(text, ctx)
    assert time.perf_counter() - start < limit
    return out


def test_exponential_template_bomb_with_arguments() -> None:
    pages = {f"Template:L{i}": f"{{{{L{i + 1}|x}}}}" * 10 for i in range(12)}
    pages["Template:L12"] = "lol"
    ctx = context(pages=pages)
    ctx.site.limits.max_node_count = 100_000
    start = time.perf_counter()
    out = expand("{{L0|y}}", ctx)
    assert time.perf_counter() - start < 10
    assert "Node-count limit exceeded" in out
    assert len(out) < 4 * 1024 * 1024
    assert "Pages_where_node_count_is_exceeded" in ctx.output.categories


def test_exponential_template_bomb_without_arguments_uses_the_cache() -> None:
    pages = {f"Template:M{i}": f"{{{{M{i + 1}}}}}" * 10 for i in range(12)}
    pages["Template:M12"] = "lol"
    out = _timed("{{M0}}", pages, limit=2)
    assert len(out) < 2 * 1024 * 1024 + 1000


def test_ten_thousand_nested_braces() -> None:
    assert _timed("{{" * 10000, limit=2) == "{{" * 10000
    out = _timed("{{" * 10000 + "x" + "}}" * 10000, limit=3)
    assert "Expansion depth limit exceeded" in out
    _timed("{{{" * 5000 + "}}}" * 5000, limit=3)
    _timed("{{a|" * 5000 + "}}" * 5000, limit=3)


def test_unclosed_constructs() -> None:
    assert _timed("a<!--" + "x" * 100000, limit=2) == "a"
    assert _timed("<nowiki>" * 20000, limit=2).count("<nowiki>") == 20000
    _timed("{{a" + "|b=c" * 20000 + "}}", limit=3)
    _timed("<pre>" + "<" * 20000, limit=2)


FRAGMENTS = ["{{", "}}", "{{{", "}}}", "|", "=", "[[", "]]", "<!--", "-->", "\n", "==",
             "<nowiki>", "</nowiki>", "<noinclude>", "<includeonly>", "</includeonly>",
             "<onlyinclude>", "</onlyinclude>", "Foo", "1x", "Loop", "#tag:b", "lc:", "x",
             "-{", "}-", "__NOTOC__", "{{!}}", " ", "subst:", "<pre>", "</pre>", "{{{1|"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_fuzz_expand_never_raises_and_is_bounded(parts: list[str]) -> None:
    text = "".join(parts)
    ctx = context()
    start = time.perf_counter()
    out = expand(text, ctx)
    assert time.perf_counter() - start < 5  # the time bound of one generated input
    assert isinstance(out, str)
    assert len(ctx.strip.unstrip_both(out)) <= 50 * (len(text) + 100)


def test_tree_cache_is_bounded() -> None:
    from wikiengine.parser.ppnodes import TreeCache
    cache = TreeCache(max_entries=3, max_chars=100)
    trees = [cache.get(f"{{{{t{i}}}}}", False, ()) for i in range(5)]
    assert len(cache._data) == 3
    assert cache.get("{{t4}}", False, ()) is trees[4]
    cache.get("x" * 60, False, ())
    cache.get("y" * 60, False, ())
    assert cache._chars <= 100


def test_numberof_and_gender_from_the_source() -> None:
    class Source(DictPageSource):
        def site_stats(self) -> dict:
            return {"articles": 1234}

        def user_gender(self, name: str) -> str:
            return "female" if name == "Anne" else "unknown"

    s = site()
    ctx = make_context("Parser test", Source(PAGES, namespaces=s.namespaces), site=s)
    out = expand("{{NUMBEROFARTICLES}} {{NUMBEROFARTICLES:R}} {{GENDER:Anne|il|elle|iel}} "
                 "{{GENDER:Bob|il|elle|iel}} {{GENDER:Bob|il|elle}}", ctx)
    assert out == "1,234 1234 elle iel il"


def test_revision_variables_of_the_saved_page() -> None:
    text = "{{REVISIONUSER}}|{{REVISIONTIMESTAMP:{{PAGENAME}}}}|{{PAGESIZE:{{PAGENAME}}}}"
    ctx = context(revision_user="Anne", revision_timestamp=NOW)
    ctx.options.extra["revision_text"] = text
    assert expand(text, ctx) == f"Anne|20240305140709|{len(text)}"
    assert {"vary-user", "vary-revision-timestamp", "vary-revision-sha1"} <= ctx.output.flags
    unsaved = context()
    assert expand(text, unsaved) == "||0"
    assert expand("{{REVISIONYEAR}} {{REVISIONID}}", context(revision_id=42)) == "2024 42"


def test_page_text_cannot_forge_strip_markers() -> None:
    ctx = context()
    marker = ctx.strip.add_general("<script>x</script>")
    out = expand("a" + marker + "b", ctx)
    assert "\x7f" not in out
    assert "<script>" not in ctx.strip.unstrip_both(out)


TREE_FRAGMENTS = FRAGMENTS + ["[", "]", "{", "}", "  ", "\t", "===", "<!---->", "<pre>x",
                              "</noinclude>", "</onlyinclude>", "<ref>", "</ref>", "=x=\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TREE_FRAGMENTS), max_size=50), st.booleans())
def test_fuzz_tree_is_lossless(parts: list[str], for_include: bool) -> None:
    """Every character of the input is somewhere in the tree: expanding it with
    MediaWiki's RECOVER_ORIG flags gives the text back (section edits rely on it)."""
    from wikiengine.parser.sections import recover_original
    text = "".join(parts)
    tree = build_tree(text, for_include, ("ref",))
    assert "".join(recover_original(n) for n in tree) == text


@pytest.mark.parametrize("text", ["{{anchorencode:" + "<" * 100000 + "}}",
                                  "{{DISPLAYTITLE:" + "<a" * 50000 + "}}",
                                  "{{anchorencode:" + "[[a|" * 20000 + "}}",
                                  "{{padleft:x|99999999999999999999|" + "ab" * 1000 + "}}",
                                  "{{formatnum:" + "1" * 200000 + "}}",
                                  "{{plural:" + "1|" * 50000 + "}}"])
def test_pathological_function_arguments_are_fast(text: str) -> None:
    ctx = context()
    start = time.perf_counter()
    expand(text, ctx)
    assert time.perf_counter() - start < 5


def test_delimiter_remove_nests_like_mediawiki() -> None:
    from wikiengine.parser.corefunctions import delimiter_remove
    assert delimiter_remove("a<b<c>d>e", "<", ">") == "ae"
    assert delimiter_remove("a<b>c<d", "<", ">") == "ac<d"
    assert delimiter_remove(">a<", "<", ">") == ">a<"


def test_source_without_page_info() -> None:
    class TextOnly:
        def get_text(self, title):
            return "abc" if title.text == "Foo" else None

        def exists_many(self, titles):
            return set()

        def file_info(self, title):
            return None

    s = site()
    ctx = make_context("Parser test", TextOnly(), site=s)
    assert expand("{{PAGESIZE:Foo}}|{{PAGEID:Foo}}|{{REVISIONID:Foo}}|{{Template:Foo}}",
                  ctx) == "0|||abc"


def test_french_tracking_category_and_warning() -> None:
    ctx = context(language="fr", title="Accueil")
    ctx.options.interface_language = "fr"
    ctx.site.limits.expensive_function_limit = 1
    expand("{{PAGESINCATEGORY:A}}{{PAGESINCATEGORY:B}}{{LoopA}}", ctx)
    assert "Pages_avec_des_boucles_de_modèle" in ctx.output.categories
    assert any("il y en a maintenant 2" in w for w in ctx.output.warnings)
    assert any("boucle du modèle" in w for w in ctx.output.warnings)


def test_tag_hook_reparses_its_content_in_the_template_frame() -> None:
    def hook(content, attrs, ctx, frame):
        return "[" + ctx.strip.unstrip_both(expand(content, ctx, frame=frame,
                                                    double_underscores=False)) + "]"

    hooks = ParserHooks(tags={"box": hook})
    pages = {**PAGES, "Template:Boxed": "<box>{{{1}}} {{Foo}} {{PAGENAME}}</box>"}
    out, _ctx = run("{{Boxed|arg}}", pages=pages, hooks=hooks)
    assert out == "[arg FOO Parser test]"


def test_preprocess_output_type_keeps_tags_and_drops_comments() -> None:
    from wikiengine.parser.preprocess import preprocess_wikitext
    ctx = context()
    out = preprocess_wikitext("{{Foo}}<!-- c --><nowiki>{{Foo}}</nowiki>{{subst:Foo}}", ctx,
                              ot="pre")
    assert ctx.strip.unstrip_both(out) == "FOO<nowiki>{{Foo}}</nowiki>{{subst:Foo}}"


def test_raw_and_msg_prefixes() -> None:
    out, _ctx = run("{{raw:Foo}} {{msg:Foo}} {{RAW:1x|a}}")
    assert out == "FOO FOO a"


def test_pagesincategory_counts_once_per_category() -> None:
    class Source(DictPageSource):
        def category_count(self, title, kind):
            return {"all": 12345, "pages": 10, "subcats": 2, "files": 3}[kind]

    s = site()
    ctx = make_context("Parser test", Source(PAGES, namespaces=s.namespaces), site=s)
    ctx.site.limits.expensive_function_limit = 1
    out = expand("{{PAGESINCATEGORY:A}} {{PAGESINCATEGORY:A|R}} {{PAGESINCATEGORY:A|subcats}} "
                 "{{PAGESINCAT:A|R|files}} {{PAGESINCATEGORY:B}}", ctx)
    assert out == "12,345 12345 2 3 0"
    assert "Pages_with_too_many_expensive_parser_function_calls" in ctx.output.categories


def test_finnish_grammar() -> None:
    from wikiengine.parser.corefunctions import _grammar_fi
    assert _grammar_fi("foobar", "elative") == "foobarista"
    assert _grammar_fi("Wikipedia", "genitive") == "Wikipedian"
    assert _grammar_fi("Wikipedia", "elative") == "Wikipediasta"
    assert _grammar_fi("Wiki", "inessive") == "Wikissä"


def test_prefix_index_transclusion() -> None:
    pages = {**PAGES, "Brest": "x", "Brest/Port": "y", "Bretagne": "#REDIRECT [[Brest]]"}
    out, _ctx = run("{{Special:PrefixIndex/Bre}}|{{Special:Prefixindex|prefix=Brest/|"
                    "stripprefix=1}}|{{Special:Search}}", pages=pages)
    assert out == (
        '<ul class="mw-prefixindex-list"><li><a href="/wiki/Brest" title="Brest">Brest</a></li>\n'
        '<li><a href="/wiki/Brest/Port" title="Brest/Port">Brest/Port</a></li>\n'
        '<li><a href="/wiki/Bretagne" class="mw-redirect" title="Bretagne">Bretagne</a></li>\n'
        '</ul>|<ul class="mw-prefixindex-list"><li><a href="/wiki/Brest/Port" '
        'title="Brest/Port">Port</a></li>\n</ul>|[[:Special:Search]]')


def test_tree_cache_keeps_recently_used_trees() -> None:
    from wikiengine.parser.ppnodes import TreeCache
    cache = TreeCache(max_entries=2)
    hot = cache.get("{{hot}}", True, ())
    cache.get("{{page1}}", False, ())
    assert cache.get("{{hot}}", True, ()) is hot
    cache.get("{{page2}}", False, ())
    assert cache.get("{{hot}}", True, ()) is hot
