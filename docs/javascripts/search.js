// Stratlas search: Pagefind's Default UI in the dialog that overrides/main.html puts in the
// header. `stratlas build` writes the bundle into pagefind/ at the site root
// (toolkit/site/search.py). The UI script, its CSS and the index load on the first opening
// only: a reader who never searches downloads none of it.
//
// Material's instant navigation swaps the page content but keeps the header, this dialog and
// this script, which therefore runs once per visit and listens on the document.
(() => {
  "use strict";

  // The site root from this script's own address (javascripts/search.js under the root): right
  // on any page, whatever page the visit started on and whatever the site's path prefix.
  const root = new URL("../", document.currentScript.src);
  const bundle = new URL("pagefind/", root);

  let loading = null;
  let ui = null;
  let opener = null;

  const dialog = () => document.getElementById("stratlas-search");

  function load(into) {
    loading ??= new Promise((resolve, reject) => {
      // Into the dialog, not <head>: instant navigation drops head elements the next page
      // does not have.
      const css = document.createElement("link");
      css.rel = "stylesheet";
      css.href = new URL("pagefind-ui.css", bundle).href;
      const js = document.createElement("script");
      js.src = new URL("pagefind-ui.js", bundle).href;
      js.onload = resolve;
      js.onerror = reject;
      into.append(css, js);
    });
    return loading;
  }

  function input(box) {
    return box.querySelector(".pagefind-ui__search-input");
  }

  async function open() {
    const box = dialog();
    if (!box || box.open) return;
    opener = document.activeElement;
    box.showModal();
    try {
      await load(box);
    } catch {
      // No bundle: the live preview, or pages opened as files (file://), where a browser
      // fetches nothing. Say what search needs instead.
      box.querySelector("[data-stratlas-search-note]").hidden = false;
      box.querySelector("[data-stratlas-search-close]").focus();
      return;
    }
    if (!ui) {
      ui = new window.PagefindUI({
        element: box.querySelector("[data-stratlas-search-ui]"),
        bundlePath: bundle.pathname,
        showImages: false,
        resetStyles: false,
      });
    }
    const field = input(box);
    if (field) {
      // Pagefind's field has a placeholder and a title only: a name for screen readers
      field.setAttribute("aria-label", box.getAttribute("aria-label") || "Search");
      field.focus();
      field.select();
    }
  }

  function typing(target) {
    return (
      target instanceof HTMLElement &&
      (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
    );
  }

  // `/`, `s` and `f` open search, as with Material's own search; not while typing somewhere.
  // Captured on window, before Material's keyboard handler sees the key.
  window.addEventListener(
    "keydown",
    (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
      if (!["/", "s", "f"].includes(event.key) || dialog()?.open) return;
      event.preventDefault();
      event.stopPropagation();
      open();
    },
    true,
  );

  document.addEventListener("click", (event) => {
    const box = dialog();
    const target = event.target instanceof Element ? event.target : null;
    if (!box || !target) return;
    if (target.closest("[data-stratlas-search-open]")) {
      open();
    } else if (target.closest("[data-stratlas-search-close]") || target === box) {
      // the close button, or the backdrop (a click on the dialog box itself, outside its content)
      box.close();
    } else if (box.open && target.closest("a[href]") && box.contains(target)) {
      // a result: leave the dialog as the page changes (instant navigation keeps it)
      box.close();
      opener = null;
    }
  });

  // Escape closes the dialog (the browser's own `cancel`); focus goes back where it was.
  document.addEventListener(
    "close",
    (event) => {
      if (event.target !== dialog()) return;
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      opener = null;
    },
    true,
  );
})();
