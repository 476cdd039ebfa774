// Small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var button = document.querySelector(".nav-button");
  var nav = document.getElementById("site-nav");
  if (button && nav) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", String(open));
      nav.classList.toggle("open", open);
    });
  }
})();

// A "Copy link" button (data-copy="#input"): copy the input's text, say so briefly.
document.querySelectorAll("[data-copy]").forEach((button) => {
  button.addEventListener("click", () => {
    const input = document.querySelector(button.dataset.copy);
    if (!input) return;
    input.select();
    const done = () => {
      const label = button.textContent;
      button.textContent = button.dataset.copied || label;
      setTimeout(() => { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(input.value).then(done, () => {});
    } else {
      done();
    }
  });
});
