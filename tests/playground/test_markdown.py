"""Discord's markdown as the page renders it: escaped first, then the markup Discord draws."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.playground.markdown import Names, relative, render

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
NAMES = Names(users={11: "Alex"}, roles={22: "Mentors"}, channels={33: "stories"}, now=NOW)


def test_text_is_escaped() -> None:
    html = render('<script>alert(1)</script> & "quotes" <img src=x onerror=y>')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in html


def test_bold_italics_underline_strikethrough() -> None:
    assert render("**b** *i* _j_ __u__ ~~s~~") == (
        "<strong>b</strong> <em>i</em> <em>j</em> <u>u</u> <s>s</s>"
    )


def test_markup_nests() -> None:
    assert render("**bold *and italic***") == "<strong>bold <em>and italic</em></strong>"


def test_inline_code_keeps_its_content_literal() -> None:
    assert render("`**not bold** <b>`") == "<code>**not bold** &lt;b&gt;</code>"


def test_code_blocks_keep_their_content_literal() -> None:
    html = render("before\n```py\nprint('<hi>') # **x**\n```after")
    assert '<pre><code class="lang-py">print(&#x27;&lt;hi&gt;&#x27;) # **x**</code></pre>' in html
    assert html.startswith("before") and html.endswith("after")


def test_block_quotes() -> None:
    assert render("> one\n> two\nout") == "<blockquote>one<br>two</blockquote>out"
    assert render(">>> all\nof this") == "<blockquote>all<br>of this</blockquote>"


def test_headers_and_subtext() -> None:
    assert render("# Big") == '<h1 class="md-h">Big</h1>'
    assert render("### Small **bold**") == '<h3 class="md-h">Small <strong>bold</strong></h3>'
    assert render("-# quiet") == '<small class="md-h">quiet</small>'
    assert render("#not a header") == "#not a header"


def test_lists() -> None:
    assert render("- a\n- *b*") == "<ul><li>a</li><li><em>b</em></li></ul>"
    assert render("1. first\n2. second") == "<ol><li>first</li><li>second</li></ol>"


def test_masked_links_only_for_http() -> None:
    html = render("[site](https://example.org/a?b=1&c=2)")
    assert html == (
        '<a href="https://example.org/a?b=1&amp;c=2" target="_blank" '
        'rel="noopener noreferrer">site</a>'
    )
    assert "<a" not in render("[x](javascript:alert(1))")


def test_a_link_label_cannot_break_out_of_the_attribute() -> None:
    html = render('[x](https://e.org/"onmouseover="alert(1))')
    assert 'onmouseover="' not in html


def test_spoilers() -> None:
    assert render("||secret||") == '<span class="spoiler" tabindex="0">secret</span>'


def test_mentions_read_as_names() -> None:
    html = render("<@11> <@!11> <@&22> <#33> <@99>", NAMES)
    assert html.count("@Alex") == 2
    assert "@Mentors" in html and "#stories" in html and "@unknown-user" in html


def test_names_in_mentions_are_escaped() -> None:
    html = render("<@11>", Names(users={11: "<b>Eve</b>"}))
    assert "&lt;b&gt;Eve&lt;/b&gt;" in html


def test_command_mentions() -> None:
    assert render("</streak show:123>") == '<span class="mention">/streak show</span>'


def test_timestamps_in_every_style() -> None:
    at = int(datetime(2026, 3, 2, 9, 30, tzinfo=UTC).timestamp())
    assert ">09:30 UTC<" in render(f"<t:{at}:t>", NAMES)
    assert ">09:30:00 UTC<" in render(f"<t:{at}:T>", NAMES)
    assert ">02/03/2026 UTC<" in render(f"<t:{at}:d>", NAMES)
    assert ">2 March 2026 UTC<" in render(f"<t:{at}:D>", NAMES)
    assert ">2 March 2026 09:30 UTC<" in render(f"<t:{at}>", NAMES)
    assert ">Monday, 2 March 2026 09:30 UTC<" in render(f"<t:{at}:F>", NAMES)
    assert ">in 1 hour<" in render(f"<t:{at}:R>", NAMES)


def test_relative_times() -> None:
    assert relative(datetime(2026, 3, 1, 8, 0, tzinfo=UTC), NOW) == "1 day ago"
    assert relative(datetime(2026, 3, 2, 8, 5, tzinfo=UTC), NOW) == "in 5 minutes"


def test_line_breaks_survive() -> None:
    assert render("one\ntwo") == "one<br>two"
