// On wide screens the calendar filters are always shown; phones keep them folded until asked.
if (window.matchMedia("(min-width: 50rem)").matches) {
  document.querySelectorAll("details.filter-box").forEach((box) => { box.open = true; });
}
