"""The LaTeX errata document compiles with pdflatex, and so does every formula of the decks.

Skips, saying why, where pdflatex is not installed (``.ci/run`` installs Debian's
texlive-latex-base, texlive-latex-recommended and texlive-fonts-recommended).
"""

import re
import shutil
import subprocess

import pytest

from reportdocs import small_results  # noqa: F401  (a fixture)

needs_pdflatex = pytest.mark.skipif(
    shutil.which("pdflatex") is None,
    reason="pdflatex not installed (.ci/run installs Debian's texlive-latex-base, "
           "texlive-latex-recommended, texlive-fonts-recommended)")


def compile_tex(source: str, folder, name: str = "doc") -> tuple[subprocess.CompletedProcess, str]:
    tex = folder / f"{name}.tex"
    tex.write_text(source, encoding="utf-8")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                          tex.name], cwd=folder, capture_output=True, text=True, timeout=120)
    log = (folder / f"{name}.log").read_text(encoding="utf-8", errors="replace") if (folder / f"{name}.log").exists() else ""
    return run, log


def _first_error(log: str) -> str:
    m = re.search(r"^! .*?(?=\n\n|\Z)", log, re.M | re.S)
    return m.group(0)[:800] if m else log[-800:]


@needs_pdflatex
def test_errata_document_compiles(small_results, tmp_path):
    from reports.render import render_latex

    run, log = compile_tex(render_latex(small_results), tmp_path, "errata")
    assert run.returncode == 0, _first_error(log)
    pages = re.search(r"Output written on errata\.pdf \((\d+) pages?", log)
    assert pages and int(pages.group(1)) >= 1
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "errata.pdf", "-"], cwd=tmp_path, capture_output=True,
                              text=True).stdout
        for c in small_results["claims"]:
            if c["verdict"] in ("ERRATUM", "CONDITIONAL"):
                assert " ".join(c["slide"].split()[:3]) in " ".join(text.split())


def deck_formulas() -> list[tuple[str, str]]:
    """Every $$...$$ and $...$ formula of the clean decks (001-003), with where it is."""
    from derivations.decks import decks_folder

    folder = decks_folder()
    out = []
    for path in sorted(folder.glob("00[123]_*.txt")) if folder else ():
        text = path.read_text(encoding="utf-8")
        for m in re.finditer(r"\$\$(.+?)\$\$", text, re.S):
            out.append((f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}", m.group(1).strip()))
        inline = re.sub(r"\$\$(.+?)\$\$", "", text, flags=re.S)
        for m in re.finditer(r"\$(.+?)\$", inline, re.S):
            out.append((f"{path.name} (inline)", m.group(1).strip()))
    return out


@needs_pdflatex
def test_every_deck_formula_typesets(tmp_path):
    """A claim quotes its deck: whatever formula it quotes, the errata document must compile."""
    from reports.texfmt import tex_display

    formulas = deck_formulas()
    if not formulas:
        pytest.skip("decks not found (set SLIDECHECK_DECKS or provide ../shared/seeds)")
    from reports.texfmt import tex_prose

    body = "\n".join(f"% {where}\n{tex_display(f)}" for where, f in formulas)
    # ... and what claims make of them: statements in words, slide titles with inline math.
    body += "\n" + tex_display(r"the running average $\hat\mu_t$ is the mean of $x_1,\dots,x_t$")
    body += "\n" + tex_prose(r"Scaling $N_\mu$; tr C = E_i \|g_i\|^2 = G_2 and \sigma^2, 50% & more")
    body += "\n" + tex_display(r"a &= b \\ &= c \end{aligned}$$ $$\text{so } d = \frac{1}{2}")
    from reports.render import _environment

    preamble = _environment(latex=True).get_template("errata_preamble.tex.j2").render()
    run, log = compile_tex(preamble + "\\begin{document}\n" + body + "\n\\end{document}\n", tmp_path)
    assert run.returncode == 0, _first_error(log)
    assert "Undefined control sequence" not in log
