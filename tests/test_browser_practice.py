"""The practice chapter of the built book in Chromium, at a laptop's size (1366 x 768).

Each skill's bank (nnlab.widgets.practice.bank_html, graded by _static/nnlab/grader.js): the
answers as the key prints them are marked correct, a listed mistake shows its hint, "Next
problem" swaps in the next seeded problem with its maths typeset, "Show solution" opens the
worked solution; all by keyboard, with no outside request and no console or page error.
"""

from __future__ import annotations

import pytest
from browser import PageWatch

from nnlab.course.practice import GENERATORS
from nnlab.course.practice.problem import num
from nnlab.widgets.practice import BANK_SIZE, bank_problems

SKILLS = sorted(set(GENERATORS) - {6})  # 6 shares skill 1's bank
PAGE = "chapters/practice.html"


@pytest.fixture
def practice(laptop_page, book_url):
    watch = PageWatch(laptop_page, book_url)
    laptop_page.goto(f"{book_url}/{PAGE}")
    laptop_page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
    laptop_page.evaluate("MathJax.startup.promise")
    yield laptop_page
    assert not watch.outside, watch.outside
    assert not watch.console_errors, watch.console_errors
    assert not watch.page_errors, watch.page_errors


def _bank(page, skill):
    bank = page.locator(f"#nnlab-practice-{skill}")
    bank.scroll_into_view_if_needed()
    return bank


def _rows(bank) -> list[dict]:
    return bank.locator(".nnlab-practice-stage script.nnlab-answers").evaluate(
        "s => JSON.parse(s.textContent)"
    )


@pytest.mark.parametrize("skill", SKILLS)
def test_the_keys_answers_are_marked_correct(practice, skill):
    bank = _bank(practice, skill)
    first = bank_problems(skill, 1)[0]
    assert bank.locator(".nnlab-practice-body").get_attribute("data-seed") == str(first.seed)
    inputs = bank.locator(".nnlab-practice-stage input[data-answer]")
    assert inputs.count() == len(first.answers)
    for i, (name, value) in enumerate(first.answers.items()):
        assert inputs.nth(i).get_attribute("data-name") == name
        inputs.nth(i).fill(num(value))  # as the answer key prints it
    inputs.last.press("Enter")  # submitting by keyboard
    outputs = bank.locator(".nnlab-practice-stage output[data-answer]")
    for i in range(outputs.count()):
        assert outputs.nth(i).inner_text().startswith("Correct: "), outputs.nth(i).inner_text()
        assert "nnlab-right" in outputs.nth(i).get_attribute("class")


@pytest.mark.parametrize("skill", SKILLS)
def test_a_listed_mistake_shows_its_hint(practice, skill):
    bank = _bank(practice, skill)
    rows = _rows(bank)
    i, row = next((i, r) for i, r in enumerate(rows) if r["mistakes"])
    value, hint = row["mistakes"][0]
    box = bank.locator(f'.nnlab-practice-stage input[data-answer="{i}"]')
    box.fill(repr(value))
    bank.get_by_role("button", name="Check answers").click()
    feedback = bank.locator(f'.nnlab-practice-stage output[data-answer="{i}"]')
    assert feedback.inner_text() == f"Not quite. {hint}"
    assert "nnlab-wrong" in feedback.get_attribute("class")
    box.fill("")  # editing the box clears its verdict
    assert feedback.inner_text() == ""


@pytest.mark.parametrize("skill", [2, 8, 9])
def test_next_problem_swaps_in_the_next_problem_typeset(practice, skill):
    bank = _bank(practice, skill)
    problems = bank_problems(skill, 3)
    statement = bank.locator(".nnlab-practice-statement").inner_text()
    next_button = bank.get_by_role("button", name="Next problem")
    next_button.focus()
    practice.keyboard.press("Enter")
    body = bank.locator(".nnlab-practice-stage .nnlab-practice-body")
    assert body.get_attribute("data-seed") == str(problems[1].seed)
    assert bank.locator(".nnlab-practice-count").inner_text() == f"Problem 2 of {BANK_SIZE}"
    assert bank.locator(".nnlab-practice-statement").inner_text() != statement
    # MathJax typeset the new nodes: formulas are drawn, no TeX source is left in the text
    practice.wait_for_function(
        f"document.querySelector('#nnlab-practice-{skill} .nnlab-practice-statement')"
        ".querySelector('mjx-container') !== null"
    )
    assert "\\(" not in bank.locator(".nnlab-practice-statement").inner_text()
    # the new problem's title has the focus (a screen reader reads it next)
    assert practice.evaluate("document.activeElement.className") == "nnlab-practice-title"
    for img in body.locator("img").all():  # pictures filled in from the bank's store
        assert img.evaluate("i => i.complete && i.naturalWidth > 0")
        assert img.get_attribute("alt")
    # the new problem is graded with its own data
    inputs = body.locator("input[data-answer]")
    for i, value in enumerate(problems[1].answers.values()):
        inputs.nth(i).fill(num(value))
    body.get_by_role("button", name="Check answers").click()
    assert body.locator("output.nnlab-right").count() == len(problems[1].answers)
    next_button.click()
    assert bank.locator(".nnlab-practice-body").get_attribute("data-seed") == str(problems[2].seed)


def test_next_problem_goes_round_the_whole_bank(practice):
    bank = _bank(practice, 10)
    seeds = []
    for _ in range(BANK_SIZE):
        seeds.append(bank.locator(".nnlab-practice-body").get_attribute("data-seed"))
        bank.get_by_role("button", name="Next problem").click()
    assert seeds == [str(p.seed) for p in bank_problems(10)]
    assert bank.locator(".nnlab-practice-body").get_attribute("data-seed") == seeds[0]


@pytest.mark.parametrize("skill", [4, 8, 12])
def test_show_solution_shows_the_worked_solution(practice, skill):
    bank = _bank(practice, skill)
    problem = bank_problems(skill, 1)[0]
    toggle = bank.locator(".nnlab-practice-stage button.nnlab-practice-toggle")
    assert toggle.inner_text() == "Show solution"
    solution = bank.locator(".nnlab-practice-stage .nnlab-practice-solution")
    assert not solution.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert toggle.get_attribute("aria-controls") == solution.get_attribute("id")
    toggle.focus()
    practice.keyboard.press("Space")
    assert solution.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert toggle.inner_text() == "Hide solution"
    text = solution.inner_text()
    assert "Worked solution." in text
    for value in problem.answers.values():
        assert num(value) in text
    assert solution.locator("mjx-container").count() > 0  # its maths is typeset too
    practice.keyboard.press("Space")
    assert not solution.is_visible() and toggle.inner_text() == "Show solution"


def test_every_bank_fits_a_laptop_screen_and_labels_its_controls(practice):
    for skill in SKILLS:
        bank = _bank(practice, skill)
        width = bank.evaluate("b => [b.scrollWidth, b.clientWidth]")
        assert width[0] <= width[1] + 1, (skill, width)
        assert bank.bounding_box()["width"] <= 1366
        for box in bank.locator(".nnlab-practice-stage input").all():
            label = practice.locator(f'label[for="{box.get_attribute("id")}"]')
            assert label.count() == 1 and label.inner_text().strip()
        for img in bank.locator(".nnlab-practice-stage img").all():
            assert img.evaluate("i => i.getBoundingClientRect().right") <= 1366
