/* Self-checks of nnlab-book, graded in the browser exactly as nnlab.course.grading.grade does.
 *
 * The answer, the tolerance and the typical mistakes (values and hints) are data in each form,
 * computed by the engine when the notebook ran. Parsing follows Python's float(): decimals,
 * exponents, underscores between digits, inf/nan, "a/b" fractions, and the Unicode minus.
 * Practice banks (chapters/practice) are graded answer by answer the same way, with "Next
 * problem" and "Show solution"; swapped-in problems are typeset by MathJax when it is loaded.
 * tests/test_static_grader.py runs this file under node against the Python grader.
 */
(function (root) {
  "use strict";

  // Python's str.strip() whitespace (str.isspace), not JavaScript's trim().
  var SPACE = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029" +
    "\\u202f\\u205f\\u3000]";
  var STRIP = new RegExp("^" + SPACE + "+|" + SPACE + "+$", "g");
  var DIGITS = "[0-9](?:_?[0-9])*";
  var NUMBER = new RegExp("^[+-]?(?:(?:" + DIGITS + "(?:\\.(?:" + DIGITS + ")?)?|\\.(?:" + DIGITS +
    "))(?:[eE][+-]?" + DIGITS + ")?|inf|infinity|nan)$", "i");

  function pyStrip(text) { return text.replace(STRIP, ""); }

  // Python's float(text) for a string; null where Python raises ValueError.
  function pyFloat(text) {
    var t = pyStrip(text);
    if (!NUMBER.test(t)) { return null; }
    var body = t.replace(/_/g, "").toLowerCase();
    var sign = body[0] === "-" ? -1 : 1;
    var bare = body.replace(/^[+-]/, "");
    if (bare === "inf" || bare === "infinity") { return sign * Infinity; }
    if (bare === "nan") { return NaN; }
    return Number(body);
  }

  // nnlab.course.grading.parse_answer
  function parseAnswer(answer) {
    var text = pyStrip(String(answer)).replace(/\u2212/g, "-");
    var slash = text.indexOf("/");
    if (slash >= 0) {
      var num = pyFloat(text.slice(0, slash));
      var den = pyFloat(text.slice(slash + 1));
      if (num === null || den === null || den === 0) { return null; }
      return num / den;
    }
    return pyFloat(text);
  }

  // math.isclose(a, b, rel_tol, abs_tol)
  function isClose(a, b, relTol, absTol) {
    if (a === b) { return true; }
    if (!isFinite(a) || !isFinite(b)) { return false; }
    var diff = Math.abs(b - a);
    return diff <= Math.abs(relTol * b) || diff <= Math.abs(relTol * a) || diff <= absTol;
  }

  // Python's repr() of a str: its choice of quotes, and escapes for what str.isprintable()
  // rejects (categories C* and Z* except the space).
  var UNPRINTABLE = /[\p{C}\p{Z}]/u;
  function hex(code, width) {
    var h = code.toString(16);
    while (h.length < width) { h = "0" + h; }
    return h;
  }
  function pyRepr(s) {
    var quote = s.indexOf("'") >= 0 && s.indexOf('"') < 0 ? '"' : "'";
    var out = quote;
    for (var ch of s) {
      var code = ch.codePointAt(0);
      if (ch === quote || ch === "\\") { out += "\\" + ch; }
      else if (ch === "\t") { out += "\\t"; }
      else if (ch === "\n") { out += "\\n"; }
      else if (ch === "\r") { out += "\\r"; }
      else if (ch !== " " && UNPRINTABLE.test(ch)) {
        out += code < 0x100 ? "\\x" + hex(code, 2)
          : code < 0x10000 ? "\\u" + hex(code, 4) : "\\U" + hex(code, 8);
      }
      else { out += ch; }
    }
    return out + quote;
  }

  // nnlab.course.grading.grade, with the check's data: {expected, correct, rtol, abs_tol,
  // mistakes: [[value, hint], ...], retry}; returns [correct, message].
  var RETRY = "Check each step of your computation and try again.";  // grading.RETRY

  function grade(answer, check) {
    var value = parseAnswer(answer);
    if (value === null) {
      return [false, "Could not read " + pyRepr(String(answer)) +
        " as a number (try a decimal such as -0.271)."];
    }
    if (isClose(value, check.expected, check.rtol, check.abs_tol)) {
      return [true, check.correct];
    }
    for (var i = 0; i < check.mistakes.length; i++) {
      if (isClose(value, check.mistakes[i][0], check.rtol, check.abs_tol)) {
        return [false, "Not quite. " + check.mistakes[i][1]];
      }
    }
    return [false, "Not quite. " + (check.retry || RETRY)];
  }

  var EMPTY_ROW = "Empty: fill in this row.";

  // nnlab.widgets.autodiff.TableCheck.grade_row
  function gradeRow(answer, row) {
    if (answer === null || answer === undefined || pyStrip(String(answer)) === "") {
      return [false, EMPTY_ROW];
    }
    return grade(answer, row);
  }

  function show(output, verdict) {
    output.textContent = verdict[1];
    output.className = "nnlab-feedback " + (verdict[0] ? "nnlab-right" : "nnlab-wrong");
  }

  function clear(output) {
    output.textContent = "";
    output.className = "nnlab-feedback";
  }

  function setupCheck(form) {
    var data = JSON.parse(form.getAttribute("data-nnlab-check"));
    var input = form.querySelector("input");
    var output = form.querySelector("output");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(output, grade(input.value, data));
    });
    input.addEventListener("input", function () { clear(output); });
  }

  function setupTable(form) {
    var data = JSON.parse(form.getAttribute("data-nnlab-table"));
    var inputs = form.querySelectorAll("input[data-row]");
    var outputs = form.querySelectorAll("output[data-row]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      data.rows.forEach(function (row, i) { show(outputs[i], gradeRow(inputs[i].value, row)); });
    });
    inputs.forEach(function (input, i) {
      input.addEventListener("input", function () { clear(outputs[i]); });
    });
  }

  // Practice banks (nnlab.widgets.practice.bank_html): one problem on the stage, every problem
  // of the bank in a <template>, the bank's pictures once each in a JSON script.
  function gradeProblem(answers, data) {
    return data.map(function (row, i) { return gradeRow(answers[i], row); });
  }

  function setupProblem(body) {
    var data = JSON.parse(body.querySelector("script.nnlab-answers").textContent);
    var form = body.querySelector("form.nnlab-practice-form");
    var inputs = form.querySelectorAll("input[data-answer]");
    var outputs = form.querySelectorAll("output[data-answer]");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var answers = Array.prototype.map.call(inputs, function (input) { return input.value; });
      gradeProblem(answers, data).forEach(function (verdict, i) { show(outputs[i], verdict); });
    });
    inputs.forEach(function (input, i) {
      input.addEventListener("input", function () { clear(outputs[i]); });
    });
    var toggle = body.querySelector("button.nnlab-practice-toggle");
    var solution = body.querySelector(".nnlab-practice-solution");
    toggle.addEventListener("click", function () {
      var open = solution.hidden;
      solution.hidden = !open;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      toggle.textContent = open ? "Hide solution" : "Show solution";
    });
  }

  function typeset(node) {
    var mj = root.MathJax;
    if (mj && typeof mj.typesetPromise === "function") {
      return mj.typesetPromise([node]).catch(function () { /* leave the TeX source shown */ });
    }
    return null;
  }

  function setupPractice(bank) {
    var templates = bank.querySelectorAll("template.nnlab-practice-problem");
    var images = JSON.parse(bank.querySelector("script.nnlab-practice-images").textContent);
    var stage = bank.querySelector(".nnlab-practice-stage");
    var count = bank.querySelector(".nnlab-practice-count");
    var next = bank.querySelector("button.nnlab-practice-next");
    var at = 0;
    setupProblem(stage.firstElementChild);
    next.addEventListener("click", function () {
      at = (at + 1) % templates.length;
      var body = templates[at].content.firstElementChild.cloneNode(true);
      body.querySelectorAll("img[data-image]").forEach(function (img) {
        img.src = "data:image/png;base64," + images[Number(img.getAttribute("data-image"))];
      });
      stage.replaceChildren(body);
      setupProblem(body);
      count.textContent = "Problem " + (at + 1) + " of " + templates.length;
      typeset(body);
      // The new problem's title takes the focus, so a screen reader reads it next.
      body.querySelector(".nnlab-practice-title").focus();
    });
  }

  function init() {
    document.querySelectorAll("form.nnlab-check").forEach(setupCheck);
    document.querySelectorAll("form.nnlab-table-check").forEach(setupTable);
    document.querySelectorAll("div.nnlab-practice").forEach(setupPractice);
  }

  var api = { parseAnswer: parseAnswer, isClose: isClose, grade: grade, gradeRow: gradeRow,
    gradeProblem: gradeProblem, pyRepr: pyRepr };
  if (typeof module !== "undefined" && module.exports) {
    module.exports = api;
  } else {
    root.nnlabGrader = api;
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", init);
    } else {
      init();
    }
  }
})(this);
