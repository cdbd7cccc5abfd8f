// Tables too wide for the screen scroll inside themselves (css/reciprocity.css). A keyboard
// user must be able to scroll them too: such a table becomes focusable (arrow keys then scroll
// it), and stops being so when the window is wide enough again. Without this script the tables
// still scroll with a finger or a mouse.
(function () {
  "use strict";
  function mark() {
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.scrollWidth > table.clientWidth + 1) {
        if (!table.hasAttribute("tabindex")) {
          table.setAttribute("tabindex", "0");
          table.setAttribute("data-scrolls", "");
        }
      } else if (table.hasAttribute("data-scrolls")) {
        table.removeAttribute("tabindex");
        table.removeAttribute("data-scrolls");
      }
    });
  }
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
})();
