// SPARQL page: a textarea with a highlighted layer under it, a gallery, a results table,
// and CSV/JSON downloads of the last result. No editor library: one regex tokenizer.
"use strict";
(function () {
  const textarea = document.getElementById("query");
  const layer = document.getElementById("highlight");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const examples = JSON.parse(document.getElementById("examples-data").textContent);
  const prefixes = JSON.parse(document.getElementById("prefixes-data").textContent);
  const csvButton = document.getElementById("download-csv");
  const jsonButton = document.getElementById("download-json");
  let last = null;

  const KEYWORDS = "SELECT|CONSTRUCT|DESCRIBE|ASK|WHERE|FROM|NAMED|PREFIX|BASE|OPTIONAL|FILTER|UNION|MINUS|GRAPH|BIND|VALUES|" +
    "GROUP|BY|ORDER|HAVING|LIMIT|OFFSET|DISTINCT|REDUCED|AS|ASC|DESC|NOT|EXISTS|IN|COUNT|SUM|MIN|MAX|AVG|SAMPLE|GROUP_CONCAT|" +
    "SEPARATOR|STR|LANG|LANGMATCHES|DATATYPE|BOUND|IRI|URI|BNODE|REGEX|CONTAINS|STRSTARTS|STRENDS|LCASE|UCASE|YEAR|IF|COALESCE|a|true|false|SERVICE|SILENT";
  const TOKEN = new RegExp(
    [
      "(#[^\\n]*)", // 1 comment
      "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')", // 2 string
      "(<[^<>\"{}|^`\\\\\\s]*>)", // 3 IRI
      "([?$][\\p{L}\\p{N}_]+)", // 4 variable
      "(\\b(?:" + KEYWORDS + ")\\b)", // 5 keyword
      "([\\p{L}_][\\p{L}\\p{N}_.-]*:[\\p{L}\\p{N}_.:%-]*|:[\\p{L}\\p{N}_.-]+)", // 6 prefixed name
      "(\\b\\d+(?:\\.\\d+)?\\b)", // 7 number
    ].join("|"),
    "giu"
  );
  const CLASSES = [null, "tok-cmt", "tok-str", "tok-iri", "tok-var", "tok-kw", "tok-pn", "tok-num"];

  function highlight(text) {
    let out = "", at = 0;
    text.replace(TOKEN, (match, ...groups) => {
      const offset = groups[groups.length - 2];
      const kind = groups.slice(0, 7).findIndex((g) => g !== undefined) + 1;
      out += KH.escape(text.slice(at, offset)) + `<span class="${CLASSES[kind]}">${KH.escape(match)}</span>`;
      at = offset + match.length;
      return match;
    });
    return out + KH.escape(text.slice(at)) + "\n";
  }
  function refresh() { layer.innerHTML = highlight(textarea.value); syncScroll(); }
  function syncScroll() { layer.parentElement.scrollTop = textarea.scrollTop; layer.parentElement.scrollLeft = textarea.scrollLeft; }

  const byLength = Object.entries(prefixes).sort((a, b) => b[1].length - a[1].length);
  function compact(iri) {
    for (const [p, base] of byLength) if (iri.startsWith(base) && iri.length > base.length) return `${p}:${iri.slice(base.length)}`;
    return `<${iri}>`;
  }
  function cell(term) {
    if (!term) return "";
    if (term.type === "uri") {
      const plan = term.value.match(/\/id\/plan\/([^/]+)$/);
      const href = plan ? `/plans/${encodeURIComponent(plan[1])}` : `/sparql?query=${encodeURIComponent("DESCRIBE <" + term.value + ">")}&format=turtle`;
      return `<a href="${KH.escape(href)}" title="${KH.escape(term.value)}">${KH.escape(compact(term.value))}</a>`;
    }
    if (term.type === "bnode") return `_:${KH.escape(term.value)}`;
    let text = KH.escape(term.value.length > 600 ? term.value.slice(0, 600) + "…" : term.value);
    if (term["xml:lang"]) text += ` <small>@${KH.escape(term["xml:lang"])}</small>`;
    else if (term.datatype) text += ` <small>${KH.escape(compact(term.datatype))}</small>`;
    return text;
  }

  function showTable(data) {
    if ("boolean" in data) { results.innerHTML = `<p><strong>${data.boolean ? "true" : "false"}</strong></p>`; return 1; }
    const vars = data.head.vars;
    const rows = data.results.bindings;
    let html = data.truncated ? `<p class="truncated">${KH.escape(data.truncated.message)}</p>` : "";
    html += "<table><thead><tr>" + vars.map((v) => `<th>?${KH.escape(v)}</th>`).join("") + "</tr></thead><tbody>";
    for (const row of rows) html += "<tr>" + vars.map((v) => `<td>${cell(row[v])}</td>`).join("") + "</tr>";
    results.innerHTML = html + "</tbody></table>";
    return rows.length;
  }

  function toCsv(data) {
    const quote = (s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    if ("boolean" in data) return `_askResult\r\n${data.boolean}\r\n`;
    const vars = data.head.vars;
    const lines = [vars.map(quote).join(",")];
    for (const row of data.results.bindings)
      lines.push(vars.map((v) => (row[v] ? quote(row[v].type === "bnode" ? "_:" + row[v].value : row[v].value) : "")).join(","));
    return lines.join("\r\n") + "\r\n";
  }

  async function run() {
    const started = performance.now();
    status.className = "status"; status.textContent = "Đang chạy… (running)";
    csvButton.disabled = jsonButton.disabled = true; last = null;
    const body = new URLSearchParams({ query: textarea.value });
    let response;
    try {
      response = await fetch("/sparql", {
        method: "POST", body,
        headers: { Accept: "application/sparql-results+json, text/turtle;q=0.9" },
      });
    } catch (error) { status.className = "status error"; status.textContent = String(error); return; }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      status.className = "status error";
      status.textContent = `${response.status}: ${await KH.errorText(response)}`;
      results.innerHTML = ""; return;
    }
    const type = response.headers.get("content-type") || "";
    if (type.includes("json")) {
      const data = await response.json();
      const n = showTable(data);
      last = data;
      csvButton.disabled = jsonButton.disabled = false;
      status.textContent = `${n} dòng (rows) · ${seconds} s` + (data.truncated ? " · bị cắt (truncated)" : "");
    } else {
      const text = await response.text();
      results.innerHTML = `<pre>${KH.escape(text)}</pre>`;
      status.textContent = `${type.split(";")[0]} · ${seconds} s`;
    }
  }

  textarea.addEventListener("input", refresh);
  textarea.addEventListener("scroll", syncScroll);
  textarea.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    if (event.key === "Tab") {
      event.preventDefault();
      const { selectionStart: s, selectionEnd: e } = textarea;
      textarea.value = textarea.value.slice(0, s) + "  " + textarea.value.slice(e);
      textarea.selectionStart = textarea.selectionEnd = s + 2; refresh();
    }
  });
  document.getElementById("run").addEventListener("click", run);
  document.getElementById("prefixes").addEventListener("click", () => {
    const declared = Object.entries(prefixes).map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join("\n");
    textarea.value = declared + "\n\n" + textarea.value.replace(/^(\s*PREFIX[^\n]*\n)*/i, ""); refresh();
  });
  document.querySelectorAll("button.example").forEach((button) => button.addEventListener("click", () => {
    textarea.value = examples[Number(button.dataset.index)].query.trim() + "\n"; refresh(); run();
  }));
  csvButton.addEventListener("click", () => last && KH.download("kehoach-results.csv", "text/csv", toCsv(last)));
  jsonButton.addEventListener("click", () => last && KH.download("kehoach-results.json", "application/sparql-results+json", JSON.stringify(last, null, 2)));
  const initial = new URLSearchParams(location.search).get("q");
  if (initial) textarea.value = initial;
  refresh();
})();
