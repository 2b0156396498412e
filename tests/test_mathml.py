"""Math for the page: the MathML whitelist, slide fragments, LaTeX in prose, every deck formula."""

import re

import pytest
import sympy as sp

from reports.mathml import (complete_formula, formula_pieces, latex_problems, latex_to_mathml,
                            mixed_segments, prose_segments, safe_mathml)


def _sympy(expr) -> str:
    from sympy.printing.mathml import mathml

    return f'<math xmlns="http://www.w3.org/1998/Math/MathML">{mathml(expr, printer="presentation")}</math>'


x = sp.Symbol("x")


def test_sympy_mathml_is_admitted_and_cleaned():
    out = safe_mathml(_sympy(sp.exp(x) * sp.I + sp.Integral(x, (x, 0, 1)))) + safe_mathml(_sympy(sp.Lt(x, 1)))
    assert out.startswith("<math") and "code" not in out
    assert "&ExponentialE;" not in out and "&dd;" not in out  # named entities become letters
    assert "<mo>&lt;</mo>" in out  # sympy's bare '<' is escaped


def test_mfenced_becomes_mrow_with_brackets():
    out = safe_mathml('<math><mfenced open="[" close="]"><mi>a</mi><mi>b</mi></mfenced></math>')
    assert "mfenced" not in out
    assert re.search(r"<mo[^>]*>\[</mo><mi>a</mi><mo[^>]*>,</mo><mi>b</mi><mo[^>]*>\]</mo>", out)


@pytest.mark.parametrize("markup", [
    "<math><script>alert(1)</script></math>",
    '<math><mi onclick="alert(1)">a</mi></math>',
    '<math><mi style="x">a</mi></math>',
    '<math><mi href="javascript:alert(1)">a</mi></math>',
    '<math><svg xmlns="http://www.w3.org/2000/svg"><circle/></svg></math>',
    "<math><mi>a</mi><!-- --></math>",
    '<!DOCTYPE math [<!ENTITY a "b">]><math><mi>&a;</mi></math>',
    "<math><mi>a</math>",
    '<math><foreignObject><div>x</div></foreignObject></math>',
])
def test_anything_but_presentation_mathml_is_escaped(markup):
    out = safe_mathml(markup)
    assert out.startswith('<code class="math-source">') and "<script" not in out and "<mi" not in out


def test_symbol_names_that_are_latex_are_typeset():
    out = safe_mathml(_sympy(sp.Eq(sp.Symbol(r"\Delta"), sp.Symbol(r"\hat{g}"))))
    assert "\\" not in out and "Δ" in out and "<mover" in out


def test_table_alignment_reaches_the_cells_and_flat_brackets_do_not_stretch():
    out = latex_to_mathml(r"a &= b \\ &= c")
    assert 'style="text-align: right; padding-right: 0"' in out
    assert 'style="text-align: left; padding-left: 0"' in out
    flat = latex_to_mathml(r"p\left(x\right)")
    tall = latex_to_mathml(r"\left(\frac{1}{2}\right)")
    assert 'stretchy="false"' in flat and 'stretchy="true"' in tall


@pytest.mark.parametrize("fragment, wrapped", [
    (r"a &= b \\ &= c", r"\begin{aligned}a &= b \\ &= c\end{aligned}"),
    (r"a = b \\ c = d", r"\begin{gathered}a = b \\ c = d\end{gathered}"),
    (r"\begin{aligned} a &= b \end{aligned}", r"\begin{aligned} a &= b \end{aligned}"),
    (r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}",
     r"f(x) = \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}"),
    (r"x \approx 1/10 \quad \text{OCR}", r"x \approx 1/10 \quad \text{OCR}"),
    (r"a &= b \tag{1} \\ &= c", r"\begin{aligned}a &= b  \\ &= c\end{aligned}"),
])
def test_fragments_become_complete_formulas(fragment, wrapped):
    assert complete_formula(fragment) == wrapped
    assert latex_problems(fragment) == []


@pytest.mark.parametrize("latex, problem", [
    (r"\frac{1}{2", "1 unclosed '{'"),
    (r"\frac{1}{2}}", "a '}' closes no '{'"),
    (r"\left( x", r"\left and \right do not pair (+1)"),
    (r"\begin{cases} 1 \end{matrix}", r"\begin{cases} closed by \end{matrix}"),
    (r"\begin{cases} a \begin{matrix} b \end{cases}", r"\begin{matrix} closed by \end{cases}"),
    (r"\foo x", r"unknown command \foo"),
    ("", "the LaTeX is empty"),
])
def test_latex_problems_name_what_is_wrong(latex, problem):
    assert latex_problems(latex) == [problem]
    assert latex_to_mathml(latex).startswith('<code class="math-source">') or not latex


def test_a_quote_across_two_formulas_becomes_two_complete_formulas():
    quote = r"a &= b \\ &= c \end{aligned}$$ $$\text{so } d = \frac{1}{2}$$"
    assert [(k, s) for k, s in mixed_segments(quote) if s.strip()] == [
        ("display", r"\begin{aligned}a &= b \\ &= c \end{aligned}"),
        ("display", r"\text{so } d = \frac{1}{2}")]
    assert latex_problems(quote) == [] and latex_to_mathml(quote).count("<math") == 2
    assert formula_pieces(r"\begin{aligned} a &= b") == [r"\begin{aligned} a &= b\end{aligned}"]


def test_a_sentence_cut_from_a_slide_keeps_its_words_and_its_formulas():
    starts_inside = r"= \Phi(t) + \sqrt{\eta}\epsilon$$ Here the matrix  $\sigma(\Phi)$  is a root"
    assert [k for k, s in mixed_segments(starts_inside) if s.strip()][:2] == ["display", "text"]
    sentence = r"Setting  $\sigma^2 = \frac{1}{2n}$  gives $$p_{\text{L}}(\Phi) = p(\Phi|\text{Train})$$"
    kinds = [k for k, s in mixed_segments(sentence) if s.strip()]
    assert kinds[0] == "text" and "inline" in kinds and kinds[-1] == "display"
    out = latex_to_mathml(sentence)
    assert "Setting" in out and "$" not in out and out.count("<math") == 2


def test_latex_in_prose_becomes_math_and_words_stay_words():
    segs = prose_segments(r"gradient noise of variance \sigma^2 everywhere, \Phi is the CDF; "
                          r"line \int_0^\infty u\Phi(-u)\,du evaluates to $\frac{1}{2}$.")
    maths = [s for is_math, s in segs if is_math]
    assert maths == [r"\sigma^2", r"\Phi", r"\int_0^\infty u\Phi(-u)\,du", r"\frac{1}{2}"]
    assert "".join(s for _, s in segs).replace("$", "") == (
        r"gradient noise of variance \sigma^2 everywhere, \Phi is the CDF; "
        r"line \int_0^\infty u\Phi(-u)\,du evaluates to \frac{1}{2}.")
    assert not any(is_math for is_math, _ in prose_segments("plain words, eta**2 and x^2"))


def deck_formulas():
    from test_errata_latex import deck_formulas as formulas

    return formulas()


def test_every_deck_formula_converts_to_mathml():
    """Whatever formula a claim quotes from a clean deck, the page shows it as math."""
    formulas = deck_formulas()
    if not formulas:
        pytest.skip("decks not found (set SLIDECHECK_DECKS or provide ../shared/seeds)")
    bad = [(where, f, latex_problems(f)) for where, f in formulas if latex_problems(f)]
    assert bad == []
    leftovers = [(where, f) for where, f in formulas if "\\" in re.sub(r"<[^>]+>", "", latex_to_mathml(f))]
    assert leftovers == []
