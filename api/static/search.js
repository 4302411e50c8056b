// Search page: calls /api/search and shows hits with the query's words highlighted.
"use strict";
(function () {
  const form = document.getElementById("search-form");
  const status = document.getElementById("status");
  const list = document.getElementById("hits");
  const fields = ["q", "province", "year", "programme", "mode", "per_plan"];
  const STOP = new Set(["va", "cac", "cua", "la", "cho", "trong", "nhung", "voi", "the", "nao", "gi", "co", "khong"]);

  // Highlight every word of `text` whose folded form is a folded query word (3+ letters or a number).
  function highlight(text, query) {
    const terms = new Set(KH.fold(query).split(/[^\p{L}\p{N}]+/u).filter((t) => (t.length >= 2 && !STOP.has(t)) || /^\d+$/.test(t)));
    if (!terms.size) return KH.escape(text);
    return text.split(/([\p{L}\p{N}]+)/u).map((part, i) =>
      i % 2 === 1 && terms.has(KH.fold(part)) ? `<mark class="term">${KH.escape(part)}</mark>` : KH.escape(part)
    ).join("");
  }

  function render(data, query) {
    list.innerHTML = "";
    if (!data.items.length) {
      const why = (data.unmatched_filters || []).join("; ");
      status.textContent = "Không tìm thấy kết quả. (No results" + (why ? ": " + why : "") + ".)";
      return;
    }
    status.textContent = `${data.items.length} kết quả (results)` + (data.more ? " — còn nữa (more available)" : "");
    for (const hit of data.items) {
      const li = document.createElement("li");
      li.className = "hit";
      const span = hit.span && hit.span.start != null ? `?hl=${hit.span.start}-${hit.span.end}` : "";
      const year = hit.year || (hit.year_not_before ? `≥ ${hit.year_not_before}` : "năm ? (year ?)");
      const meta = [hit.province, year, (hit.programmes || []).join(", "), hit.section].filter(Boolean).map(KH.escape).join(" · ");
      li.innerHTML = `<div class="hit-meta"><a href="/plans/${encodeURIComponent(hit.plan)}${span}">${KH.escape(hit.plan)}</a> · ${meta}
        <span class="score" title="score">${hit.score.toFixed(3)}</span></div><div class="hit-text">${highlight(hit.text, query)}</div>`;
      list.appendChild(li);
    }
  }

  async function run(push) {
    const params = new URLSearchParams();
    for (const name of fields) { const v = document.getElementById(name).value.trim(); if (v) params.set(name, v); }
    if (!params.get("q")) { status.textContent = "Nhập câu hỏi. (Type a question.)"; return; }
    if (push) history.replaceState(null, "", "?" + params.toString());
    status.className = "status"; status.textContent = "Đang tìm… (searching)";
    params.set("limit", "20");
    const response = await fetch("/api/search?" + params.toString(), { headers: { Accept: "application/json" } });
    if (!response.ok) { status.className = "status error"; status.textContent = await KH.errorText(response); list.innerHTML = ""; return; }
    render(await response.json(), params.get("q"));
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(true).catch((e) => { status.textContent = String(e); }); });
  const initial = new URLSearchParams(location.search);
  for (const name of fields) if (initial.get(name)) document.getElementById(name).value = initial.get(name);
  if (initial.get("q")) run(false).catch((e) => { status.textContent = String(e); });
})();
