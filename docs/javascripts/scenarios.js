// Stratlas scenario tracker (/scenarios/, toolkit/pages/templates/scenarios.md.j2): sorting by
// column, filtering by text and status, and the "due for resolution" marks, on the rows of the
// page shown. Without this script the page is a plain table in the build's order.
//
// "Due" depends on the reader's today, which a deterministic build cannot know: each open row
// carries `data-due` (the latest day its due date can mean, YYYY-MM-DD), and this script marks
// the row when that day is before today. Material's instant navigation swaps the page content
// without loading scripts again, so this runs on each page it shows (`document$`).
(() => {
  "use strict";

  const STATUSES = [
    ["", "All"],
    ["open", "Open"],
    ["due", "Due for resolution"],
    ["happened", "Happened"],
    ["did-not-happen", "Did not happen"],
  ];

  function today() {
    const now = new Date();
    const pad = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }

  function markDue(rows) {
    const day = today();
    for (const row of rows) {
      const due = row.dataset.due;
      const passed = row.dataset.status === "open" && due !== undefined && due < day;
      row.toggleAttribute("data-overdue", passed);
      const marker = row.querySelector("[data-due-marker]");
      if (marker) marker.hidden = !passed;
    }
  }

  function key(row, column) {
    const cell = row.cells[column];
    if (!cell) return "";
    return cell.dataset.key ?? cell.textContent.trim().toLocaleLowerCase();
  }

  function sortable(table, rows) {
    const body = table.tBodies[0];
    const original = rows.slice();
    const headers = Array.from(table.tHead.rows[0].cells);
    headers.forEach((th, column) => {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "stratlas-sort";
      button.textContent = th.textContent;
      th.textContent = "";
      th.append(button);
      button.addEventListener("click", () => {
        const next = th.getAttribute("aria-sort") === "ascending" ? "descending" : "ascending";
        for (const other of headers) other.removeAttribute("aria-sort");
        th.setAttribute("aria-sort", next);
        const sign = next === "ascending" ? 1 : -1;
        const order = original.slice().sort((a, b) => {
          const ka = key(a, column);
          const kb = key(b, column);
          // Empty values last, whichever the direction.
          if (!ka !== !kb) return ka ? -1 : 1;
          return sign * ka.localeCompare(kb, undefined, { numeric: true });
        });
        body.append(...order);
      });
    });
  }

  function filterable(tracker, rows) {
    const form = document.createElement("form");
    form.className = "stratlas-tracker-filter";
    form.setAttribute("role", "search");
    form.setAttribute("aria-label", "Filter the scenarios on this page");
    form.addEventListener("submit", (event) => event.preventDefault());

    const text = document.createElement("input");
    text.type = "search";
    text.id = "stratlas-tracker-text";
    const textLabel = document.createElement("label");
    textLabel.htmlFor = text.id;
    textLabel.textContent = "Filter";

    const status = document.createElement("select");
    status.id = "stratlas-tracker-status";
    for (const [value, label] of STATUSES) status.add(new Option(label, value));
    const statusLabel = document.createElement("label");
    statusLabel.htmlFor = status.id;
    statusLabel.textContent = "Status";

    const count = document.createElement("p");
    count.className = "stratlas-small";
    count.setAttribute("aria-live", "polite");

    const apply = () => {
      const words = text.value.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
      const wanted = status.value;
      let shown = 0;
      for (const row of rows) {
        const content = row.textContent.toLocaleLowerCase();
        const matches =
          words.every((word) => content.includes(word)) &&
          (wanted === "" ||
            (wanted === "due" ? row.hasAttribute("data-overdue") : row.dataset.status === wanted));
        row.hidden = !matches;
        if (matches) shown += 1;
      }
      count.textContent = `${shown} of ${rows.length} scenarios on this page shown.`;
    };
    text.addEventListener("input", apply);
    status.addEventListener("change", apply);

    form.append(textLabel, text, statusLabel, status);
    tracker.before(form, count);
    apply();
  }

  function setup() {
    const tracker = document.querySelector("[data-stratlas-tracker]");
    if (!tracker || tracker.dataset.ready) return;
    tracker.dataset.ready = "true";
    const table = tracker.querySelector("table");
    const rows = Array.from(table.tBodies[0].rows);
    markDue(rows);
    sortable(table, rows);
    filterable(tracker, rows);
  }

  if (typeof window.document$ !== "undefined") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
