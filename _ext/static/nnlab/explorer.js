/* Static explorers of nnlab-book: swap between states rendered at build time.
 *
 * Each .nnlab-explorer block holds its states as JSON (rendered by the explorer's own Python
 * render function when the book was built). Moving a control only looks a state up and
 * swaps pre-decoded images and texts, and each image's alt text (the state's description,
 * rendered with it: what is drawn and the control values); nothing is computed here. The time
 * of the last swap is kept in data-nnlab-update-ms (the browser tests read it).
 */
(function () {
  "use strict";

  function setup(root) {
    var payload = JSON.parse(root.querySelector("script.nnlab-states").textContent);
    var images = payload.images.map(function (b64) {
      var img = new Image();
      img.src = "data:image/png;base64," + b64;
      if (img.decode) { img.decode().catch(function () {}); }
      return img;
    });
    var inputs = Array.prototype.slice.call(root.querySelectorAll("[data-index]"));
    var slots = Array.prototype.slice.call(root.querySelectorAll(".nnlab-slot"));

    function stateIndex() {
      var index = 0;
      payload.controls.forEach(function (control, i) {
        index = index * control.labels.length + Number(inputs[i].value);
      });
      return index;
    }

    function update() {
      var t0 = performance.now();
      var index = stateIndex();
      var state = payload.states[index];
      var labels = [];
      inputs.forEach(function (input, i) {
        var label = payload.controls[i].labels[Number(input.value)];
        labels.push(payload.controls[i].name + " = " + label);
        if (input.type === "range") {
          input.setAttribute("aria-valuetext", label);
          var shown = root.querySelector('output[for="' + input.id + '"]');
          if (shown) { shown.textContent = label; }
        }
      });
      slots.forEach(function (slot, k) {
        if (payload.kinds[k] === "image") {
          var img = slot;
          img.src = images[state[k]].src;
          img.alt = payload.alts && payload.alts[index] ? payload.alts[index]
            : "Figure of the explorer at " + labels.join(", ");
        } else {
          slot.textContent = state[k];
        }
      });
      root.setAttribute("data-nnlab-state", String(index));
      root.setAttribute("data-nnlab-update-ms", (performance.now() - t0).toFixed(3));
    }

    inputs.forEach(function (input) {
      input.addEventListener("input", update);
      input.addEventListener("change", update);
    });
    update();
  }

  function init() {
    document.querySelectorAll(".nnlab-explorer").forEach(setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
