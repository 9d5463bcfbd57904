from django.template import Context, Template

from quizzes.qr import qr_svg


def test_it_draws_an_inline_svg_with_an_accessible_name():
    svg = qr_svg("https://school.example/live/ABC123/", title="Join <the> game")
    assert svg.startswith("<svg")
    assert "<title>Join &lt;the&gt; game</title>" in svg
    assert "<script" not in svg and "style=" not in svg


def test_it_encodes_longer_links_in_a_larger_code():
    short = qr_svg("https://s.example/a", title="a")
    long = qr_svg("https://s.example/" + "x" * 120, title="a")
    size = lambda svg: int(svg.split('width="')[1].split('"')[0])  # noqa: E731
    assert size(long) > size(short)


def test_the_template_tag_renders_it():
    html = Template('{% load quiz_tags %}{% qr_code url "Card" %}').render(
        Context({"url": "https://s.example/signin/abc"})
    )
    assert html.startswith("<svg") and "<title>Card</title>" in html


def test_a_fixed_mask_draws_a_code_of_the_same_size():
    url = "https://school.example/accounts/card/" + "x" * 43 + "/"
    chosen, fixed = qr_svg(url, title="a"), qr_svg(url, title="a", mask=0)
    size = lambda svg: svg.split('"')[1]  # noqa: E731
    assert size(chosen) == size(fixed) and fixed.startswith("<svg")
