"""The student edition keeps practice whole: every bank, with "Show solution" and the worked
solutions (practice is for learning; the edition removes only sphinx-exercise solutions)."""

from __future__ import annotations

import re

from editions_build import student_html

from nnlab.course.practice import GENERATORS
from nnlab.widgets.practice import BANK_SIZE, bank_problems

SKILLS = sorted(set(GENERATORS) - {6})


def test_student_practice_page_has_every_bank_with_its_solutions():
    page = (student_html() / "chapters" / "practice.html").read_text(encoding="utf-8")
    for skill in SKILLS:
        start = page.index(f'id="nnlab-practice-{skill}"')
        end = page.index('class="nnlab-practice-images"', start)
        bank = page[start:end]
        assert bank.count('<template class="nnlab-practice-problem">') == BANK_SIZE
        # one toggle and one worked solution per problem, plus the problem on the stage
        assert bank.count(">Show solution</button>") == BANK_SIZE + 1
        assert bank.count("<b>Worked solution.</b>") == BANK_SIZE + 1
        for problem in bank_problems(skill):
            assert f'data-seed="{problem.seed}"' in bank
    assert not re.search(r"nnlab-practice-recipe", page)  # every recipe became its bank


def test_banks_stay_out_of_the_search_index():
    """The banks are written as they are but not indexed (static_widgets.practice_bank): the
    words of 160 worked solutions would drown the chapters' in search results."""
    import json

    index_js = (student_html() / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(index_js[index_js.index("(") + 1 : index_js.rindex(")")])
    practice = index["docnames"].index("chapters/practice")

    def docs(term):
        found = index["terms"].get(term, [])
        return {found} if isinstance(found, int) else set(found)

    assert practice in docs("midterm")  # the chapter's own prose is searchable
    seeds = [str(p.seed) for s in SKILLS for p in bank_problems(s)]
    assert not [seed for seed in seeds if practice in docs(seed)]
